package net.lightqueue.index;

/**
 * The state of one queue, stored in the {@code queues} family under the queue's UTF-8 name:
 * its id, its min offset (first entry still held) and its next offset (= max offset). The
 * value is 24 fixed bytes.
 */
record QueueRecord(long id, long minOffset, long nextOffset) {
    private static final int LENGTH = 3 * Long.BYTES;

    QueueRecord withMinOffset(long newMin) {
        return new QueueRecord(id, newMin, nextOffset);
    }

    long size() {
        return nextOffset - minOffset;
    }

    byte[] encode() {
        byte[] out = new byte[LENGTH];
        Bytes.putLong(out, 0, id);
        Bytes.putLong(out, Long.BYTES, minOffset);
        Bytes.putLong(out, 2 * Long.BYTES, nextOffset);
        return out;
    }

    static QueueRecord decode(byte[] value) {
        if (value.length != LENGTH) {
            throw new IndexException("corrupt queue record: " + value.length + " bytes, expected " + LENGTH);
        }
        return new QueueRecord(Bytes.getLong(value, 0), Bytes.getLong(value, Long.BYTES),
                Bytes.getLong(value, 2 * Long.BYTES));
    }
}
