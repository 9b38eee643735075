package net.lightqueue.index;

import java.util.Arrays;

/**
 * The writer's bounded cache of queue state, keyed by {@link NameHash}: one preallocated
 * {@code long[]}, 4-way set associative, so heap use is fixed at open whatever the number of
 * queues. Only the writer thread uses it; it is not thread-safe.
 */
final class QueueCache {
    private static final int WAYS = 4;
    /** Slot layout: hash high, hash low, queue id + 1 (0 marks an empty slot), min, next. */
    private static final int SLOT = 5;

    private final long[] slots;
    private final int setMask;
    private int victim;

    QueueCache(int capacity) {
        int wanted = Math.max(1, (capacity + WAYS - 1) / WAYS);
        int sets = wanted == 1 ? 1 : Integer.highestOneBit(wanted - 1) << 1;
        this.slots = new long[sets * WAYS * SLOT];
        this.setMask = sets - 1;
    }

    /** Forgets every queue (the index was cleared). */
    void clear() {
        Arrays.fill(slots, 0);
    }

    QueueState get(NameHash hash) {
        int slot = find(hash);
        return slot < 0 ? null
                : new QueueState(slots[slot + 2] - 1, slots[slot + 3], slots[slot + 4]);
    }

    void put(NameHash hash, QueueState state) {
        int slot = find(hash);
        if (slot < 0) {
            slot = freeOrVictim(hash);
        }
        slots[slot] = hash.high();
        slots[slot + 1] = hash.low();
        slots[slot + 2] = state.id() + 1;
        slots[slot + 3] = state.minOffset();
        slots[slot + 4] = state.nextOffset();
    }

    private int find(NameHash hash) {
        int base = setBase(hash);
        for (int way = 0; way < WAYS; way++) {
            int slot = base + way * SLOT;
            if (slots[slot + 2] != 0 && slots[slot] == hash.high() && slots[slot + 1] == hash.low()) {
                return slot;
            }
        }
        return -1;
    }

    private int freeOrVictim(NameHash hash) {
        int base = setBase(hash);
        for (int way = 0; way < WAYS; way++) {
            if (slots[base + way * SLOT + 2] == 0) {
                return base + way * SLOT;
            }
        }
        // Round-robin eviction: cheap, and no worse than LRU for uniformly spread queues.
        victim = (victim + 1) % WAYS;
        return base + victim * SLOT;
    }

    private int setBase(NameHash hash) {
        return (int) (hash.low() & setMask) * WAYS * SLOT;
    }
}
