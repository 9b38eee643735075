package net.lightqueue.index;

import java.util.ArrayList;
import java.util.List;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Removes entries whose commitlog offset is below a bound. A queue's entries are in commitlog
 * order, so the ones to remove are a prefix of each queue: one seek per queue finds them. Work is
 * written in chunks, each one atomic (deletes, new min offsets and counters together), so a crash
 * mid-sweep leaves every queue consistent; the next sweep finishes the job.
 */
final class RetentionSweep {
    private static final int MAX_DELETES_PER_WRITE = 10_000;

    private final RocksStore store;
    private final IndexState state;
    private final QueueTable table;
    private final ColumnFamilyHandle entries;
    private final ColumnFamilyHandle queues;
    private final List<byte[]> deletes = new ArrayList<>();
    private final List<Trimmed> trimmed = new ArrayList<>();

    RetentionSweep(RocksStore store, IndexState state, QueueTable table) {
        this.store = store;
        this.state = state;
        this.table = table;
        this.entries = store.handle(RocksStore.ENTRIES);
        this.queues = store.handle(RocksStore.QUEUES);
    }

    /** @return the number of entries removed */
    long deleteBelow(long commitLogOffset) {
        long removed = 0;
        deletes.clear();
        trimmed.clear();
        try (RocksIterator queueIt = store.scanIterator(queues);
             RocksIterator entryIt = store.scanIterator(entries)) {
            for (queueIt.seekToFirst(); queueIt.isValid(); queueIt.next()) {
                removed += trim(queueIt.key(), QueueRecord.decode(queueIt.value()), commitLogOffset, entryIt);
            }
            queueIt.status();
            entryIt.status();
            writeChunk();
        } catch (RocksDBException e) {
            throw RocksStore.failure("retention failed", e);
        }
        return removed;
    }

    private long trim(byte[] name, QueueRecord record, long commitLogOffset, RocksIterator entryIt) {
        long newMin = record.minOffset();
        long recordedMin = newMin;
        entryIt.seek(EntryCodec.key(record.id(), newMin));
        while (entryIt.isValid()
                && EntryCodec.queueId(entryIt.key()) == record.id()
                && EntryCodec.commitLogOffset(entryIt.value()) < commitLogOffset) {
            deletes.add(entryIt.key());
            newMin = EntryCodec.queueOffset(entryIt.key()) + 1;
            entryIt.next();
            if (deletes.size() >= MAX_DELETES_PER_WRITE) {
                trimmed.add(new Trimmed(name, record.withMinOffset(newMin)));
                recordedMin = newMin;
                writeChunk();
            }
        }
        if (newMin != recordedMin) {
            trimmed.add(new Trimmed(name, record.withMinOffset(newMin)));
        }
        return newMin - record.minOffset();
    }

    /** Writes the pending deletes with the new min offsets and entry count, atomically. */
    private void writeChunk() {
        if (deletes.isEmpty()) {
            return;
        }
        long newEntryCount = state.entryCount - deletes.size();
        WriteBatchEncoder batch = new WriteBatchEncoder(deletes.size() * (EntryCodec.KEY_LENGTH + 3));
        int entriesId = store.id(RocksStore.ENTRIES);
        int queuesId = store.id(RocksStore.QUEUES);
        for (byte[] key : deletes) {
            batch.delete(entriesId, key);
        }
        for (Trimmed queue : trimmed) {
            batch.put(queuesId, queue.name, queue.record.encode());
        }
        state.putCounters(batch, state.nextQueueId, state.queueCount, newEntryCount, state.checkpoint);
        store.write(batch);
        for (Trimmed queue : trimmed) {
            table.trimmed(NameHash.of(queue.name), queue.record.minOffset());
        }
        state.apply(state.nextQueueId, state.queueCount, newEntryCount, state.checkpoint);
        deletes.clear();
        trimmed.clear();
    }

    private record Trimmed(byte[] name, QueueRecord record) {
    }
}
