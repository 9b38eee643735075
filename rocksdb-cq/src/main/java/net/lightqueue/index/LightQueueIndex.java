package net.lightqueue.index;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * An index of light queues in one RocksDB database, written without a WAL.
 *
 * <p><b>Model.</b> A queue is named by a UTF-8 string of at most {@link #MAX_QUEUE_NAME_BYTES}
 * bytes, interned to a numeric id on first append. Its entries have dense offsets from its min
 * offset (0 until retention removes some) up to, excluding, its max offset (the next offset to be
 * written). Derived-state families hold the caller's own keys and values.
 *
 * <p><b>Durability.</b> Every change arrives in an {@link IndexBatch} written as one atomic
 * RocksDB write with the WAL disabled; the batch may carry a checkpoint (the commitlog offset it
 * completes). Memtables of all families are flushed together (atomic flush), on a size bound and a
 * time bound from {@link IndexOptions}. After a crash at any moment the index reopens with a
 * prefix of the written batches: exactly those up to some batch, all of their entries and
 * derived-state changes, nothing after; {@link #checkpoint()} is then the checkpoint of the last
 * surviving batch that carried one, and the caller replays its source from there. It is never
 * older than the last {@link #durableCheckpoint()} reported before the crash. Retention runs are
 * writes of their own. Queues are never deleted: offsets only grow, so a reader's position stays
 * valid for the life of the index.
 *
 * <p><b>Threads.</b> One writer thread calls {@link #newBatch}, {@link #write},
 * {@link #deleteEntriesBelow}, {@link #flush} and {@link #compact}; any number of threads may
 * read concurrently. Readers see each batch entirely or not at all. {@link #close} may be called
 * from any thread; later calls throw {@link IndexException}.
 *
 * <p><b>Failures.</b> A failed write or background flush (a full disk) makes every later write
 * fail: RocksDB keeps the error while the database is open. {@link #reopen} on the writer thread
 * is the way back once the cause is gone.
 *
 * <p><b>Memory.</b> No per-queue objects are kept: heap is the writer's fixed-size queue cache
 * and the readers' tail cache (the last entries of at most {@link TailCache#SLOTS} queues that
 * readers follow, about 3 MiB); native memory is the block cache and the memtables. See
 * {@link IndexOptions}.
 */
public final class LightQueueIndex implements AutoCloseable {
    /** Longest queue name accepted, in UTF-8 bytes. */
    public static final int MAX_QUEUE_NAME_BYTES = 4096;
    /** The checkpoint of an index that has never been given one. */
    public static final long NO_CHECKPOINT = -1;

    private final Path dir;
    private final IndexOptions options;
    /** Replaced by {@link #reopen}; after a failed reopen it is the closed database, and calls fail. */
    private volatile OpenIndex open;
    /** Why the last {@link #reopen} failed, or {@code null}. */
    private volatile IndexException reopenFailure;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Readers and the writer share it; close and reopen take it exclusively so no call runs on a closed DB. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private LightQueueIndex(Path dir, IndexOptions options, OpenIndex open) {
        this.dir = dir;
        this.options = options;
        this.open = open;
    }

    /**
     * Opens the index in {@code dir}, creating the directory and the index if needed, and the
     * derived-state families named in the options if missing.
     *
     * @throws IndexException if the directory is locked by another process, holds something
     *                        other than an index, or the index is corrupt
     */
    public static LightQueueIndex open(Path dir, IndexOptions options) {
        return new LightQueueIndex(dir, options, OpenIndex.open(dir, options));
    }

    /** Starts a batch. Writer thread only; see {@link IndexBatch} for the rules. */
    public IndexBatch newBatch() {
        return guarded(() -> new IndexBatch(this, open.store, open.table, open.tails, open.state));
    }

    /**
     * Writes a batch atomically.
     *
     * @throws IllegalStateException if the batch was already written, is stale (also: started
     *                               before a {@link #reopen}), or belongs to another index
     * @throws IndexException        if the index is closed or RocksDB fails, also if an earlier
     *                               background flush failed (see {@link #reopen})
     */
    public void write(IndexBatch batch) {
        if (!batch.belongsTo(this)) {
            throw new IllegalStateException("the batch belongs to another index");
        }
        guarded(() -> {
            if (!batch.builtOn(open.state)) {
                throw new IllegalStateException("stale batch: the index was reopened since it was started");
            }
            open.flusher.checkHealthy();
            batch.write();
            return null;
        });
    }

    /** Called by {@link IndexBatch#write()} once its write succeeded. */
    void written(long bytes) {
        open.flusher.written(bytes);
    }

    /**
     * Entries of a queue from {@code fromOffset} (or its min offset, if larger), at most
     * {@code maxCount}. A read at the queue's end, answered from the tail cache, may stop at the
     * end of an earlier batch while the writer is publishing the next one; an empty result
     * always means the queue held nothing from there when the read began.
     */
    public List<IndexEntry> read(String queue, long fromOffset, int maxCount) {
        return guarded(() -> open.read(queue, fromOffset, maxCount));
    }

    /** Reads answered from the tail cache so far. */
    long tailCacheHits() {
        return open.tails.hits();
    }

    /** The offset of the queue's first entry still held; 0 for an unknown queue. */
    public long minOffset(String queue) {
        return guarded(() -> {
            QueueRecord record = open.reader.record(queue);
            return record == null ? 0 : record.minOffset();
        });
    }

    /** The next offset to be written in the queue; 0 for an unknown queue. */
    public long maxOffset(String queue) {
        return guarded(() -> {
            QueueRecord record = open.reader.record(queue);
            return record == null ? 0 : open.reader.nextOffset(record);
        });
    }

    public OptionalLong queueId(String queue) {
        return guarded(() -> open.reader.queueId(queue));
    }

    public Optional<String> queueName(long id) {
        return guarded(() -> open.reader.queueName(id));
    }

    /** A value of a derived-state family, or {@code null}. */
    public byte[] get(String family, byte[] key) {
        return guarded(() -> open.store.get(open.store.family(family), key));
    }

    /** Visits, in key order, the pairs of a derived-state family whose key starts with {@code prefix}. */
    public void scan(String family, byte[] prefix, KeyValueVisitor visitor) {
        scan(family, prefix, prefix, visitor);
    }

    /**
     * Like {@link #scan(String, byte[], KeyValueVisitor)}, but from the first key at or after
     * {@code from}, which starts with {@code prefix}: a scan continued where an earlier one stopped.
     */
    public void scan(String family, byte[] prefix, byte[] from, KeyValueVisitor visitor) {
        guarded(() -> {
            open.reader.scan(open.store.family(family), prefix, from, visitor);
            return null;
        });
    }

    /**
     * Removes every entry whose commitlog offset is below {@code commitLogOffset} (retention after
     * the commitlog dropped its files); min offsets move up. Costs one seek per queue. Writer thread.
     *
     * @return the number of entries removed
     */
    public long deleteEntriesBelow(long commitLogOffset) {
        return guarded(() -> {
            long removed = open.retention.deleteBelow(commitLogOffset);
            open.tails.clear();
            return removed;
        });
    }

    /** The checkpoint of the last batch written with one, or {@link #NO_CHECKPOINT}. */
    public long checkpoint() {
        return open.state.checkpoint;
    }

    /** The last checkpoint known to be in SST files, i.e. to survive a crash. */
    public long durableCheckpoint() {
        return open.state.durableCheckpoint.get();
    }

    /** Flushes all memtables now and waits; afterwards {@link #durableCheckpoint()} equals {@link #checkpoint()}. */
    public void flush() {
        guarded(() -> {
            open.flush();
            return null;
        });
    }

    /** Compacts every family fully; for benchmarks and maintenance windows. Writer thread. */
    public void compact() {
        guarded(() -> {
            open.store.compact();
            return null;
        });
    }

    public IndexStats stats() {
        return guarded(() -> {
            IndexState state = open.state;
            RocksStore store = open.store;
            return new IndexStats(state.queueCount, state.entryCount,
                    store.property("rocksdb.total-sst-files-size"),
                    store.property("rocksdb.cur-size-all-mem-tables"),
                    store.blockCacheUsage(), state.checkpoint, state.durableCheckpoint.get());
        });
    }

    /** Bytes of SST files of the entries family alone (for size measurements). */
    long entriesDiskBytes() {
        return guarded(() -> open.store.familyProperty(RocksStore.ENTRIES, "rocksdb.total-sst-files-size"));
    }

    /**
     * Empties the index: every queue, entry and derived-state value, and the checkpoint, as if it
     * were new. For a commitlog cut below the checkpoint, when the index must be rebuilt from the
     * commitlog. Writer thread, with no batch open (a batch started before is stale afterwards);
     * readers wait while it runs and then find nothing.
     */
    public void clear() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            requireOpen();
            open.store.deleteAll();
            open.table.cleared();
            open.tails.clear();
            open.state.reset(open.store);
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Closes the database and opens it again from disk, with a new flusher: the way back after a
     * failed write or background flush (a full disk), which RocksDB does not forget while open.
     * Without a WAL the index comes back as after a crash: at a checkpoint not older than the last
     * {@link #durableCheckpoint()}, and the caller replays its source from {@link #checkpoint()}.
     * Writer thread, with no batch open (a batch started before is stale afterwards); readers wait
     * while it runs. If opening fails (the disk is still full), every call but this one throws
     * until a reopen succeeds.
     *
     * @throws IndexException if the database cannot be opened again
     */
    public void reopen() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (closed.get()) {
                throw new IndexException("the index in " + dir + " is closed");
            }
            open.close();
            reopenFailure = null;
            try {
                open = OpenIndex.open(dir, options);
            } catch (IndexException e) {
                reopenFailure = e;
                throw e;
            }
        } finally {
            exclusive.unlock();
        }
    }

    /** Flushes, stops the flusher and releases every native resource. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            open.flusher.close();
            if (reopenFailure == null) {
                open.flush();
            }
        } finally {
            try {
                open.close();
            } finally {
                exclusive.unlock();
            }
        }
    }

    private <T> T guarded(Supplier<T> call) {
        Lock shared = lifecycle.readLock();
        shared.lock();
        try {
            requireOpen();
            return call.get();
        } finally {
            shared.unlock();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IndexException("the index in " + dir + " is closed");
        }
        IndexException failure = reopenFailure;
        if (failure != null) {
            throw new IndexException("the index in " + dir + " is not open: reopening it failed", failure);
        }
    }
}
