package net.lightqueue.dispatch.engine;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decoded messages by commitlog offset, so that the many readers of a fresh message (one per
 * matching subscriber) decode it once. Direct-mapped: a fixed array of slots, a newer message
 * takes over the slot of an older one with the same hash. Bounded in slots and in bytes: a
 * message that would take the cache over its byte budget first clears slots in turn (a clock
 * hand) until it fits, and one larger than the whole budget is not kept. Lock-free; a miss only
 * costs a decode. Under concurrent puts the total may pass the budget by what the racing puts
 * add, never more.
 */
final class MessageCache {

    /** What a decoded message costs besides its body: the record, the topic, the property map. */
    private static final int OVERHEAD_BYTES = 160;
    private static final int BYTES_PER_PROPERTY = 96;

    private final AtomicReferenceArray<DecodedMessage> slots;
    private final int mask;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger hand = new AtomicInteger();

    MessageCache(int minimumSlots, long maxBytes) {
        int size = Integer.highestOneBit(Math.max(1, minimumSlots - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.maxBytes = maxBytes;
    }

    DecodedMessage get(long commitLogOffset) {
        DecodedMessage message = slots.get(slot(commitLogOffset));
        return message != null && message.commitLogOffset() == commitLogOffset ? message : null;
    }

    void put(DecodedMessage message) {
        long size = sizeOf(message);
        if (size > maxBytes) {
            return;
        }
        for (int cleared = 0; bytes.get() + size > maxBytes && cleared <= mask; cleared++) {
            release(slots.getAndSet(hand.getAndIncrement() & mask, null));
        }
        bytes.addAndGet(size);
        release(slots.getAndSet(slot(message.commitLogOffset()), message));
    }

    void clear() {
        for (int slot = 0; slot <= mask; slot++) {
            release(slots.getAndSet(slot, null));
        }
    }

    /** The bytes the cached messages take, as counted. */
    long bytes() {
        return bytes.get();
    }

    private void release(DecodedMessage removed) {
        if (removed != null) {
            bytes.addAndGet(-sizeOf(removed));
        }
    }

    static long sizeOf(DecodedMessage message) {
        long size = OVERHEAD_BYTES + message.body().length;
        if (message.mqttTopic() != null) {
            size += 2L * message.mqttTopic().length();
        }
        Map<String, String> properties = message.properties() == null ? Map.of() : message.properties();
        size += (long) BYTES_PER_PROPERTY * properties.size();
        for (Map.Entry<String, String> property : properties.entrySet()) {
            size += 2L * (property.getKey().length() + property.getValue().length());
        }
        return size;
    }

    private int slot(long commitLogOffset) {
        long mixed = commitLogOffset * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 32) & mask;
    }
}
