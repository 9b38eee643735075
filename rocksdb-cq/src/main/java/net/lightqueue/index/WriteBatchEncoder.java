package net.lightqueue.index;

import java.util.Arrays;

/**
 * Builds a write in RocksDB's write-batch wire format (db/write_batch.cc) in a Java array, handed
 * over as a whole by {@code new WriteBatch(byte[])}: one JNI crossing per write instead of one per
 * put. The format is also that of the WAL, so RocksDB keeps it stable.
 *
 * <pre>
 * batch  := sequence fixed64 (0, set by RocksDB), count fixed32 (little-endian), record*
 * record := tag [column family varint32, unless the default family] varstring...
 * </pre>
 *
 * Being plain Java, an abandoned batch leaks no native memory.
 */
final class WriteBatchEncoder {
    private static final int HEADER = 12;
    private static final int COUNT_AT = 8;
    private static final byte VALUE = 0x1;
    private static final byte DELETION = 0x0;
    private static final byte FAMILY_VALUE = 0x5;
    private static final byte FAMILY_DELETION = 0x4;

    private byte[] buffer;
    private int length = HEADER;
    private int count;

    WriteBatchEncoder(int initialCapacity) {
        this.buffer = new byte[HEADER + initialCapacity];
    }

    void put(int family, byte[] key, byte[] value) {
        record(family, VALUE, FAMILY_VALUE);
        bytes(key);
        bytes(value);
    }

    void delete(int family, byte[] key) {
        record(family, DELETION, FAMILY_DELETION);
        bytes(key);
    }

    /**
     * Starts a put whose key and value the caller writes as varstrings with {@link #varint} and
     * {@link #bigEndianLong}, without building arrays for them.
     */
    void beginPut(int family) {
        record(family, VALUE, FAMILY_VALUE);
    }

    void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[length++] = (byte) value;
    }

    void bigEndianLong(long value) {
        ensure(Long.BYTES);
        Bytes.putLong(buffer, length, value);
        length += Long.BYTES;
    }

    /** Records (puts and deletes) so far. */
    int count() {
        return count;
    }

    /** Bytes of the encoded batch, header included. */
    int size() {
        return length;
    }

    /** The encoded batch: the array {@code new WriteBatch(byte[])} takes. */
    byte[] toByteArray() {
        byte[] out = Arrays.copyOf(buffer, length);
        for (int i = 0; i < Integer.BYTES; i++) {
            out[COUNT_AT + i] = (byte) (count >>> (8 * i));
        }
        return out;
    }

    private void record(int family, byte defaultFamilyTag, byte familyTag) {
        count++;
        ensure(1);
        buffer[length++] = family == 0 ? defaultFamilyTag : familyTag;
        if (family != 0) {
            varint(family);
        }
    }

    private void bytes(byte[] value) {
        varint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, length, value.length);
        length += value.length;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(length + more, buffer.length * 2));
        }
    }
}
