package net.lightqueue.dispatch.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decoded messages by commitlog offset, so that the many readers of a fresh message (one per
 * matching subscriber) decode it once. Direct-mapped: a fixed array of slots, a newer message
 * takes over the slot of an older one with the same hash. Bounded, lock-free, no eviction
 * bookkeeping; a miss only costs a decode.
 */
final class MessageCache {

    private final AtomicReferenceArray<DecodedMessage> slots;
    private final int mask;

    MessageCache(int minimumSlots) {
        int size = Integer.highestOneBit(Math.max(1, minimumSlots - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    DecodedMessage get(long commitLogOffset) {
        DecodedMessage message = slots.get(slot(commitLogOffset));
        return message != null && message.commitLogOffset() == commitLogOffset ? message : null;
    }

    void put(DecodedMessage message) {
        slots.set(slot(message.commitLogOffset()), message);
    }

    private int slot(long commitLogOffset) {
        long mixed = commitLogOffset * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 32) & mask;
    }
}
