package net.lightqueue.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The read paths. Stateless apart from the store, so any number of threads may use it. */
final class QueueReader {
    /** Enough for the usual short range reads; a longer one grows the list. */
    private static final int INITIAL_CAPACITY = 64;

    private final RocksStore store;
    private final ColumnFamilyHandle queues;
    private final ColumnFamilyHandle queueNames;
    private final ColumnFamilyHandle entries;

    QueueReader(RocksStore store) {
        this.store = store;
        this.queues = store.handle(RocksStore.QUEUES);
        this.queueNames = store.handle(RocksStore.QUEUE_NAMES);
        this.entries = store.handle(RocksStore.ENTRIES);
    }

    /** @return the queue's committed record, or {@code null} if the queue is unknown */
    QueueRecord record(String queue) {
        return record(QueueName.encode(queue));
    }

    private QueueRecord record(byte[] name) {
        byte[] value = store.get(queues, name);
        return value == null ? null : QueueRecord.decode(value);
    }

    /** One past the queue's last entry; its min offset if retention left no entry. */
    long nextOffset(QueueRecord record) {
        try (RocksIterator it = store.queueIterator(entries)) {
            // Keys are id then offset, big-endian: the last key at or before (id, max) is the last entry.
            it.seekForPrev(EntryCodec.key(record.id(), Long.MAX_VALUE));
            long afterLast = it.isValid() && EntryCodec.queueId(it.key()) == record.id()
                    ? EntryCodec.queueOffset(it.key()) + 1 : 0;
            it.status();
            return Math.max(afterLast, record.minOffset());
        } catch (RocksDBException e) {
            throw RocksStore.failure("cannot find the last entry of queue " + record.id(), e);
        }
    }

    /** @param name the queue's name, encoded ({@link QueueName#encode}) */
    List<IndexEntry> read(byte[] name, long fromOffset, int maxCount) {
        QueueRecord record = record(name);
        if (record == null || maxCount <= 0) {
            return List.of();
        }
        long from = Math.max(fromOffset, record.minOffset());
        List<IndexEntry> result = new ArrayList<>(Math.min(maxCount, INITIAL_CAPACITY));
        try (RocksIterator it = store.queueIterator(entries)) {
            for (it.seek(EntryCodec.key(record.id(), from)); it.isValid() && result.size() < maxCount; it.next()) {
                byte[] key = it.key();
                if (EntryCodec.queueId(key) != record.id()) {
                    break;
                }
                result.add(EntryCodec.entry(key, it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw RocksStore.failure("cannot read queue '" + QueueName.decode(name) + "'", e);
        }
        return result;
    }

    OptionalLong queueId(String queue) {
        QueueRecord record = record(queue);
        return record == null ? OptionalLong.empty() : OptionalLong.of(record.id());
    }

    Optional<String> queueName(long id) {
        return Optional.ofNullable(store.get(queueNames, Bytes.ofLong(id))).map(QueueName::decode);
    }

    void scan(ColumnFamilyHandle family, byte[] prefix, byte[] from, KeyValueVisitor visitor) {
        try (RocksIterator it = store.scanIterator(family)) {
            for (it.seek(from); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!Bytes.startsWith(key, prefix) || !visitor.visit(key, it.value())) {
                    return;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw RocksStore.failure("scan failed", e);
        }
    }
}
