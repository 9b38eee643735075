package net.lightqueue.index;

import java.util.HashMap;
import java.util.Map;

/**
 * Changes that {@link LightQueueIndex#write} applies as ONE atomic RocksDB write: index entries
 * appended to any number of queues, derived-state puts and deletes, and the checkpoint.
 * Offsets are assigned as entries are appended, so {@link #append} can return them; they
 * become visible to readers only when the batch is written.
 *
 * <p>A batch belongs to the writer thread. Build and write one batch at a time: a batch built
 * before another write (or a retention run) is stale and is refused, because its offsets could
 * collide with those already written. Key and value arrays are copied.
 */
public final class IndexBatch {
    private final LightQueueIndex owner;
    private final RocksStore store;
    private final QueueTable table;
    private final TailCache tails;
    private final IndexState state;
    private final long generation;
    /** Encoded as appended: no per-entry objects, and one JNI call in {@link #write()}. */
    private final WriteBatchEncoder ops = new WriteBatchEncoder(4096);
    private final int entries;
    private final int queues;
    private final int queueNames;
    private final Map<String, PendingQueue> touched = new HashMap<>();
    private long nextQueueId;
    private long queueDelta;
    private long entryDelta;
    private long checkpoint = LightQueueIndex.NO_CHECKPOINT;
    private boolean written;

    IndexBatch(LightQueueIndex owner, RocksStore store, QueueTable table, TailCache tails, IndexState state) {
        this.owner = owner;
        this.store = store;
        this.table = table;
        this.tails = tails;
        this.state = state;
        this.generation = state.generation;
        this.nextQueueId = state.nextQueueId;
        this.entries = store.id(RocksStore.ENTRIES);
        this.queues = store.id(RocksStore.QUEUES);
        this.queueNames = store.id(RocksStore.QUEUE_NAMES);
    }

    /**
     * Appends an entry to a queue, creating (interning) the queue if it is new.
     *
     * @return the entry's queue offset: the queue's next offset, counting appends earlier in
     *         this batch
     * @throws IndexException if the name is empty or longer than
     *                        {@link LightQueueIndex#MAX_QUEUE_NAME_BYTES} in UTF-8
     */
    public long append(String queue, long commitLogOffset, int size, long storeTimestamp) {
        requireUnwritten();
        if (commitLogOffset < 0 || size < 0) {
            throw new IllegalArgumentException("commitLogOffset and size must not be negative: "
                    + commitLogOffset + ", " + size);
        }
        PendingQueue pending = pending(queue);
        long offset = pending.nextOffset++;
        EntryCodec.put(ops, entries, pending.id, offset, commitLogOffset, size, storeTimestamp);
        if (pending.tail != null) {
            pending.tail.stage(offset, commitLogOffset, size, storeTimestamp);
        }
        entryDelta++;
        return offset;
    }

    /** Puts a key in a derived-state family named in {@link IndexOptions#derivedFamilies()}. */
    public void put(String family, byte[] key, byte[] value) {
        requireUnwritten();
        ops.put(store.familyId(family), key, value);
    }

    /** Deletes a key from a derived-state family; deleting a missing key is not an error. */
    public void delete(String family, byte[] key) {
        requireUnwritten();
        ops.delete(store.familyId(family), key);
    }

    /** Sets the checkpoint written with this batch: the commitlog offset the batch completes. */
    public void checkpoint(long commitLogOffset) {
        requireUnwritten();
        this.checkpoint = commitLogOffset;
    }

    /** Number of buffered operations, derived-state ones included. */
    public int size() {
        return ops.count();
    }

    private PendingQueue pending(String queue) {
        PendingQueue pending = touched.get(queue);
        if (pending != null) {
            return pending;
        }
        byte[] name = QueueName.encode(queue);
        NameHash hash = NameHash.of(name);
        QueueState committed = table.find(name, hash);
        if (committed == null) {
            committed = new QueueState(nextQueueId++, 0, 0);
            ops.put(queueNames, Bytes.ofLong(committed.id()), name);
            ops.put(queues, name, new QueueRecord(committed.id(), 0).encode());
            queueDelta++;
        }
        pending = new PendingQueue(name, hash, committed, tails.forWriting(hash, committed.nextOffset()));
        touched.put(queue, pending);
        return pending;
    }

    private void requireUnwritten() {
        if (written) {
            throw new IllegalStateException("this batch was already written; start a new one");
        }
    }

    /** Called by the owning index, under its lock, on the writer thread. */
    void write() {
        requireUnwritten();
        if (generation != state.generation) {
            throw new IllegalStateException("stale batch: another write happened since it was started");
        }
        written = true;
        long newCheckpoint = checkpoint == LightQueueIndex.NO_CHECKPOINT ? state.checkpoint : checkpoint;
        long newQueueCount = state.queueCount + queueDelta;
        long newEntryCount = state.entryCount + entryDelta;
        state.putCounters(ops, nextQueueId, newQueueCount, newEntryCount, newCheckpoint);
        store.write(ops);
        touched.values().forEach(pending -> {
            table.committed(pending.hash, pending.state());
            if (pending.tail != null) {
                tails.committed(pending.tail, pending.nextOffset);
            }
        });
        tails.batchCommitted();
        state.apply(nextQueueId, newQueueCount, newEntryCount, newCheckpoint);
        // Only now: a flush it triggers must read this batch's checkpoint, not the previous one.
        owner.written(ops.size());
    }

    boolean belongsTo(LightQueueIndex index) {
        return owner == index;
    }

    /** Whether it was started on the database now open, not on one closed by a reopen since. */
    boolean builtOn(IndexState current) {
        return state == current;
    }

    /** A queue touched by this batch: its committed state plus this batch's appends. */
    private static final class PendingQueue {
        final byte[] name;
        final NameHash hash;
        final long id;
        final long minOffset;
        /** Where its entries are staged for readers at its end, or null. */
        final TailCache.Tail tail;
        long nextOffset;

        PendingQueue(byte[] name, NameHash hash, QueueState committed, TailCache.Tail tail) {
            this.name = name;
            this.hash = hash;
            this.tail = tail;
            this.id = committed.id();
            this.minOffset = committed.minOffset();
            this.nextOffset = committed.nextOffset();
        }

        QueueState state() {
            return new QueueState(id, minOffset, nextOffset);
        }
    }
}
