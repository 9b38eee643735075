package net.lightqueue.index;

/**
 * Layout of the {@code entries} family.
 *
 * <p>Key: queue id (8 bytes, big-endian) then queue offset (8 bytes, big-endian), so a queue's
 * entries are adjacent and in offset order, and consecutive keys share 15 of 16 bytes (prefix
 * compression makes that almost free). Value: varints of commitlog offset, size and store
 * timestamp, about 13 bytes instead of 20 fixed.
 */
final class EntryCodec {
    static final int KEY_LENGTH = 16;
    /** Length of the key prefix that names the queue (the prefix extractor's length). */
    static final int QUEUE_PREFIX_LENGTH = 8;

    private EntryCodec() {
    }

    static byte[] key(long queueId, long queueOffset) {
        byte[] key = new byte[KEY_LENGTH];
        Bytes.putLong(key, 0, queueId);
        Bytes.putLong(key, QUEUE_PREFIX_LENGTH, queueOffset);
        return key;
    }

    /** Adds the put of one entry to a batch, encoding key and value in place. */
    static void put(WriteBatchEncoder batch, int family, long queueId, long queueOffset,
                    long commitLogOffset, int size, long storeTimestamp) {
        batch.beginPut(family);
        batch.varint(KEY_LENGTH);
        batch.bigEndianLong(queueId);
        batch.bigEndianLong(queueOffset);
        batch.varint(Bytes.varintLength(commitLogOffset) + Bytes.varintLength(size)
                + Bytes.varintLength(storeTimestamp));
        batch.varint(commitLogOffset);
        batch.varint(size);
        batch.varint(storeTimestamp);
    }

    static long queueId(byte[] key) {
        return Bytes.getLong(key, 0);
    }

    static long queueOffset(byte[] key) {
        return Bytes.getLong(key, QUEUE_PREFIX_LENGTH);
    }

    static long commitLogOffset(byte[] value) {
        return new Bytes.VarintReader(value).next();
    }

    static IndexEntry entry(byte[] key, byte[] value) {
        Bytes.VarintReader reader = new Bytes.VarintReader(value);
        long commitLogOffset = reader.next();
        int size = (int) reader.next();
        return new IndexEntry(queueOffset(key), commitLogOffset, size, reader.next());
    }
}
