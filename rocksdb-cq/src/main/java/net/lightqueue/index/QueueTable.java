package net.lightqueue.index;

import org.rocksdb.ColumnFamilyHandle;

/**
 * The writer's view of committed queue state: the bounded {@link QueueCache} in front of the
 * {@code queues} family and the queues' last entries. Writer thread only.
 */
final class QueueTable {
    private final RocksStore store;
    private final QueueReader reader;
    private final ColumnFamilyHandle queues;
    private final QueueCache cache;

    QueueTable(RocksStore store, QueueReader reader, int cacheSize) {
        this.store = store;
        this.reader = reader;
        this.queues = store.handle(RocksStore.QUEUES);
        this.cache = new QueueCache(cacheSize);
    }

    /** @return the committed state of the queue, or {@code null} if it does not exist */
    QueueState find(byte[] name, NameHash hash) {
        QueueState cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        byte[] value = store.get(queues, name);
        if (value == null) {
            return null;
        }
        QueueRecord record = QueueRecord.decode(value);
        QueueState state = new QueueState(record.id(), record.minOffset(), reader.nextOffset(record));
        cache.put(hash, state);
        return state;
    }

    /** Records the outcome of a successful write. */
    /** Forgets every cached queue (the index was cleared). */
    void cleared() {
        cache.clear();
    }

    void committed(NameHash hash, QueueState state) {
        cache.put(hash, state);
    }

    /** Records a new min offset written by retention; the next offset is unchanged. */
    void trimmed(NameHash hash, long minOffset) {
        QueueState cached = cache.get(hash);
        if (cached != null) {
            cache.put(hash, cached.withMinOffset(minOffset));
        }
    }
}
