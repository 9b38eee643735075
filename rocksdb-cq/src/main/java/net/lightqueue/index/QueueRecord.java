package net.lightqueue.index;

/**
 * A queue's row in the {@code queues} family, under the queue's UTF-8 name: its id and its min
 * offset (first entry still held), 16 fixed bytes. It changes only when the queue is created
 * or trimmed by retention. The next offset is not stored: it is one past the queue's
 * last entry (or the min offset if none is left), see {@link QueueReader#nextOffset}, so an
 * append writes nothing but its entry.
 */
record QueueRecord(long id, long minOffset) {
    private static final int LENGTH = 2 * Long.BYTES;

    QueueRecord withMinOffset(long newMin) {
        return new QueueRecord(id, newMin);
    }

    byte[] encode() {
        byte[] out = new byte[LENGTH];
        Bytes.putLong(out, 0, id);
        Bytes.putLong(out, Long.BYTES, minOffset);
        return out;
    }

    static QueueRecord decode(byte[] value) {
        if (value.length != LENGTH) {
            throw new IndexException("corrupt queue record: " + value.length + " bytes, expected " + LENGTH);
        }
        return new QueueRecord(Bytes.getLong(value, 0), Bytes.getLong(value, Long.BYTES));
    }
}
