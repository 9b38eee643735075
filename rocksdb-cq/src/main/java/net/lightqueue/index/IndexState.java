package net.lightqueue.index;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.rocksdb.ColumnFamilyHandle;

/**
 * The index-wide values kept in the meta family (format marker, checkpoint, id sequence,
 * counters) and their in-memory copies. Counters change only in the same write as the data they
 * count, so after a crash they match it. Fields other than the volatile ones belong to the writer.
 */
final class IndexState {
    static final String FORMAT = "net.lightqueue.index/2";
    private static final byte[] FORMAT_KEY = key("format");
    private static final byte[] CHECKPOINT_KEY = key("checkpoint");
    private static final byte[] NEXT_QUEUE_ID_KEY = key("next-queue-id");
    private static final byte[] QUEUE_COUNT_KEY = key("queue-count");
    private static final byte[] ENTRY_COUNT_KEY = key("entry-count");

    private final int meta;
    long nextQueueId;
    volatile long queueCount;
    volatile long entryCount;
    volatile long checkpoint;
    final AtomicLong durableCheckpoint;
    /** Bumped by every write; a batch built before another write is stale. */
    long generation;

    private IndexState(int meta, long nextQueueId, long queueCount, long entryCount,
                       long checkpoint) {
        this.meta = meta;
        this.nextQueueId = nextQueueId;
        this.queueCount = queueCount;
        this.entryCount = entryCount;
        this.checkpoint = checkpoint;
        // Without a WAL, whatever was read back from disk is durable.
        this.durableCheckpoint = new AtomicLong(checkpoint);
    }

    /** Reads the state of an existing index, or writes (and flushes) that of a new one. */
    static IndexState load(RocksStore store, boolean existing, Path dir) {
        ColumnFamilyHandle meta = store.handle(RocksStore.META);
        byte[] format = store.get(meta, FORMAT_KEY);
        if (format == null && existing) {
            throw new IndexException(dir + " holds a RocksDB database without the light-queue index "
                    + "format marker; it belongs to something else");
        }
        if (format != null && !FORMAT.equals(new String(format, StandardCharsets.UTF_8))) {
            throw new IndexException(dir + " holds index format '" + new String(format, StandardCharsets.UTF_8)
                    + "', this version reads '" + FORMAT + "'");
        }
        if (format == null) {
            return initialize(store);
        }
        return new IndexState(store.id(RocksStore.META), readLong(store, NEXT_QUEUE_ID_KEY), readLong(store, QUEUE_COUNT_KEY),
                readLong(store, ENTRY_COUNT_KEY), readLong(store, CHECKPOINT_KEY));
    }

    private static IndexState initialize(RocksStore store) {
        IndexState state = new IndexState(store.id(RocksStore.META), 0, 0, 0, LightQueueIndex.NO_CHECKPOINT);
        state.writeInitial(store);
        return state;
    }

    /** Back to the state of a new index, after every family was emptied; writer thread, with no batch open. */
    void reset(RocksStore store) {
        writeInitial(store);
        apply(0, 0, 0, LightQueueIndex.NO_CHECKPOINT);
        durableCheckpoint.set(LightQueueIndex.NO_CHECKPOINT);
    }

    private void writeInitial(RocksStore store) {
        WriteBatchEncoder batch = new WriteBatchEncoder(256);
        batch.put(meta, FORMAT_KEY, FORMAT.getBytes(StandardCharsets.UTF_8));
        putCounters(batch, 0, 0, 0, LightQueueIndex.NO_CHECKPOINT);
        store.write(batch);
        // Make the marker durable now, so a crash cannot leave an unmarked directory with data.
        store.flush();
    }

    private static long readLong(RocksStore store, byte[] key) {
        byte[] value = store.get(store.handle(RocksStore.META), key);
        if (value == null || value.length != Long.BYTES) {
            throw new IndexException("corrupt index: meta value '" + new String(key, StandardCharsets.UTF_8)
                    + "' is missing or malformed");
        }
        return Bytes.getLong(value, 0);
    }

    /** Adds the new counter values and checkpoint to a write. */
    void putCounters(WriteBatchEncoder batch, long newNextQueueId, long newQueueCount, long newEntryCount,
                     long newCheckpoint) {
        batch.put(meta, NEXT_QUEUE_ID_KEY, Bytes.ofLong(newNextQueueId));
        batch.put(meta, QUEUE_COUNT_KEY, Bytes.ofLong(newQueueCount));
        batch.put(meta, ENTRY_COUNT_KEY, Bytes.ofLong(newEntryCount));
        batch.put(meta, CHECKPOINT_KEY, Bytes.ofLong(newCheckpoint));
    }

    /** Adopts the values of a write that succeeded. */
    void apply(long newNextQueueId, long newQueueCount, long newEntryCount, long newCheckpoint) {
        nextQueueId = newNextQueueId;
        queueCount = newQueueCount;
        entryCount = newEntryCount;
        checkpoint = newCheckpoint;
        generation++;
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
