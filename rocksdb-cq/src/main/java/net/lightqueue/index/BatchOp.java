package net.lightqueue.index;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One buffered operation of an {@link IndexBatch}. Batches buffer in Java and build the native
 * {@link WriteBatch} only inside {@code write}, so an abandoned batch leaks no native memory.
 */
sealed interface BatchOp {
    void applyTo(WriteBatch batch) throws RocksDBException;

    record Put(ColumnFamilyHandle family, byte[] key, byte[] value) implements BatchOp {
        @Override
        public void applyTo(WriteBatch batch) throws RocksDBException {
            batch.put(family, key, value);
        }
    }

    record Delete(ColumnFamilyHandle family, byte[] key) implements BatchOp {
        @Override
        public void applyTo(WriteBatch batch) throws RocksDBException {
            batch.delete(family, key);
        }
    }

    record DeleteRange(ColumnFamilyHandle family, byte[] fromInclusive, byte[] toExclusive) implements BatchOp {
        @Override
        public void applyTo(WriteBatch batch) throws RocksDBException {
            batch.deleteRange(family, fromInclusive, toExclusive);
        }
    }
}
