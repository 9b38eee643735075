package net.lightqueue.index;

import org.rocksdb.ColumnFamilyHandle;

/**
 * The writer's view of committed queue records: the bounded {@link QueueCache} in front of the
 * {@code queues} family. Writer thread only.
 */
final class QueueTable {
    private final RocksStore store;
    private final ColumnFamilyHandle queues;
    private final QueueCache cache;

    QueueTable(RocksStore store, int cacheSize) {
        this.store = store;
        this.queues = store.handle(RocksStore.QUEUES);
        this.cache = new QueueCache(cacheSize);
    }

    /** @return the committed record of the queue, or {@code null} if it does not exist */
    QueueRecord find(byte[] name, NameHash hash) {
        QueueRecord cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        byte[] value = store.get(queues, name);
        if (value == null) {
            return null;
        }
        QueueRecord record = QueueRecord.decode(value);
        cache.put(hash, record);
        return record;
    }

    /** Records the outcome of a successful write. */
    void committed(NameHash hash, QueueRecord record) {
        cache.put(hash, record);
    }

    void deleted(NameHash hash) {
        cache.remove(hash);
    }
}
