package net.lightqueue.index;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last entries of the queues that readers follow, in heap, so that a reader at a queue's end
 * (every subscriber that keeps up, and all the subscribers of one filter alike) is served without
 * a RocksDB lookup and iterator. Bounded: {@link #SLOTS} slots, direct-mapped by {@link NameHash},
 * each holding one queue's last {@link #ENTRIES} entries: about 3 MiB when every slot is taken.
 *
 * <p>A queue gets a slot only once a reader missed it ({@link #want}), and keeps it while it is
 * written; so appends to a million queues nobody reads allocate nothing. A read the cache cannot
 * answer (an older position, a queue without a slot, nothing past the published end) returns
 * {@code null}, and the caller reads RocksDB.
 *
 * <p>One writer (the index's writer thread) stages entries as a batch appends them and publishes
 * a queue's new end once the batch is committed to RocksDB, so readers never see more than
 * RocksDB holds; they may see less for that moment, which is why "nothing more" is left to
 * RocksDB. Readers take no lock: a ring slot may be overwritten while they read it, which they
 * detect afterwards from the queue's reservation mark and answer with {@code null}.
 */
final class TailCache {
    static final int SLOTS = 1024;
    static final int ENTRIES = 128;
    /** A slot's queue keeps it against another wanted queue while written within this many batches. */
    private static final long KEEP_WHILE_WRITTEN_WITHIN = 1_000;

    private final AtomicReferenceArray<Tail> slots = new AtomicReferenceArray<>(SLOTS);
    /** Per slot, the name hash (high, low) of the last queue a reader missed. */
    private final AtomicLongArray wanted = new AtomicLongArray(2 * SLOTS);
    private final LongAdder hits = new LongAdder();
    private long batches;

    /**
     * Readers: the entries from {@code from}, at most {@code maxCount}, up to the end last
     * published here; {@code null} when there is none to give or they are not held. Never empty:
     * between RocksDB's commit of a batch and its publication here, RocksDB already holds
     * entries beyond this end, so only RocksDB may say that a queue has nothing more.
     */
    List<IndexEntry> read(NameHash hash, long from, int maxCount) {
        Tail tail = slots.get(slot(hash));
        if (tail == null || !tail.holds(hash)) {
            return null;
        }
        List<IndexEntry> entries = tail.read(from, maxCount);
        if (entries != null) {
            hits.increment();
        }
        return entries;
    }

    /** Readers: asks for the queue to be kept here from its next append on. */
    void want(NameHash hash) {
        int slot = slot(hash);
        wanted.set(2 * slot, hash.high());
        wanted.set(2 * slot + 1, hash.low());
    }

    /**
     * Writer: where a batch stages the entries it appends to a queue whose committed end is
     * {@code nextOffset}, or {@code null} when the queue is not kept here.
     */
    Tail forWriting(NameHash hash, long nextOffset) {
        int slot = slot(hash);
        Tail tail = slots.get(slot);
        if (tail != null && tail.holds(hash)) {
            if (tail.end == nextOffset) {
                return tail;
            }
            // Its queue moved on without it: readers must not be answered from it any more.
            slots.compareAndSet(slot, tail, null);
            tail = null;
        }
        boolean wantedHere = wanted.get(2 * slot) == hash.high() && wanted.get(2 * slot + 1) == hash.low();
        boolean slotBusy = tail != null && !tail.holds(hash) && batches - tail.lastBatch < KEEP_WHILE_WRITTEN_WITHIN;
        if (!wantedHere || slotBusy) {
            return null;
        }
        Tail fresh = new Tail(hash, nextOffset);
        slots.set(slot, fresh);
        return fresh;
    }

    /** Writer: a batch was committed; publishes the ends of the queues it staged entries for. */
    void committed(Tail tail, long end) {
        tail.lastBatch = batches;
        tail.end = end;
    }

    /** Writer: counts committed batches, for slot keeping. */
    void batchCommitted() {
        batches++;
    }

    /** Forgets every queue: entries were removed (retention) or the index was cleared. */
    void clear() {
        for (int i = 0; i < SLOTS; i++) {
            slots.set(i, null);
        }
    }

    /** Reads answered from the cache; tests use it to tell a cached read from a RocksDB one. */
    long hits() {
        return hits.sum();
    }

    private static int slot(NameHash hash) {
        return (int) (hash.low() & (SLOTS - 1));
    }

    /** One queue's last entries: a ring of (commitlog offset, size, store time) by queue offset. */
    static final class Tail {
        private final long high;
        private final long low;
        /** The first offset staged here: older entries were never held. */
        private final long first;
        private final long[] ring = new long[3 * ENTRIES];
        /** Offsets below this may be being written: a reader's data below it minus ENTRIES is overwritten. */
        private volatile long reserved;
        /** The committed end: offsets below it (and not below first) are readable. */
        private volatile long end;
        private long lastBatch;

        Tail(NameHash hash, long first) {
            this.high = hash.high();
            this.low = hash.low();
            this.first = first;
            this.reserved = first;
            this.end = first;
        }

        boolean holds(NameHash hash) {
            return high == hash.high() && low == hash.low();
        }

        /** Writer: an entry of the batch being built; readable once {@link TailCache#committed}. */
        void stage(long offset, long commitLogOffset, int size, long storeTimestamp) {
            if (offset + 1 > reserved) {
                reserved = offset + 1; // before the write: a reader of the slot's older entry sees it
                VarHandle.storeStoreFence();
            }
            int at = 3 * (int) (offset % ENTRIES);
            ring[at] = commitLogOffset;
            ring[at + 1] = size;
            ring[at + 2] = storeTimestamp;
        }

        List<IndexEntry> read(long from, int maxCount) {
            long committedEnd = end;
            if (from < first || from >= committedEnd || from < committedEnd - ENTRIES || maxCount <= 0) {
                return null;
            }
            long to = Math.min(committedEnd, from + maxCount);
            List<IndexEntry> entries = new ArrayList<>((int) (to - from));
            for (long offset = from; offset < to; offset++) {
                int at = 3 * (int) (offset % ENTRIES);
                entries.add(new IndexEntry(offset, ring[at], (int) ring[at + 1], ring[at + 2]));
            }
            // A writer that reserved past from + ENTRIES may have overwritten what was just read.
            VarHandle.loadLoadFence();
            return from < reserved - ENTRIES ? null : entries;
        }
    }
}
