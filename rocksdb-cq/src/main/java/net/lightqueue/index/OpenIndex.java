package net.lightqueue.index;

import java.nio.file.Path;
import java.util.List;

/**
 * One open RocksDB database and everything built on it: the state read from it, the writer's
 * queue table, the readers, retention and the flusher. {@link LightQueueIndex} swaps it as a
 * whole when it reopens the database.
 */
final class OpenIndex implements AutoCloseable {
    final RocksStore store;
    final IndexState state;
    final QueueReader reader;
    final QueueTable table;
    final TailCache tails = new TailCache();
    final RetentionSweep retention;
    final BackgroundFlusher flusher;
    private boolean closed;

    private OpenIndex(RocksStore store, IndexState state, IndexOptions options) {
        this.store = store;
        this.state = state;
        this.reader = new QueueReader(store);
        this.table = new QueueTable(store, reader, options.queueCacheSize());
        this.retention = new RetentionSweep(store, state, table);
        this.flusher = new BackgroundFlusher(this::flush, options.flushSizeBytes(), options.flushIntervalMillis());
    }

    /** Opens (creating if needed) the database in {@code dir}; see {@link LightQueueIndex#open}. */
    static OpenIndex open(Path dir, IndexOptions options) {
        boolean existing = StoreDirectory.prepare(dir);
        RocksStore store = RocksStore.open(dir, options, existing);
        try {
            return new OpenIndex(store, IndexState.load(store, existing, dir), options);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Entries of a queue: its last ones from the tail cache when it holds them all, else from RocksDB. */
    List<IndexEntry> read(String queue, long fromOffset, int maxCount) {
        byte[] name = QueueName.encode(queue);
        NameHash hash = NameHash.of(name);
        List<IndexEntry> cached = tails.read(hash, fromOffset, maxCount);
        if (cached != null) {
            return cached;
        }
        tails.want(hash);
        return reader.read(name, fromOffset, maxCount);
    }

    /** Flushes all memtables and waits; the checkpoint written before is then durable. */
    void flush() {
        // Read before flushing: everything written up to this checkpoint is in the flushed memtables.
        long covered = state.checkpoint;
        store.flush();
        state.durableCheckpoint.accumulateAndGet(covered, Math::max);
    }

    /** Stops the flusher and releases the database without flushing. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flusher.close();
        store.close();
    }
}
