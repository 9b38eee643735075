package net.lightqueue.index;

/** Big-endian longs (they sort like unsigned numbers in RocksDB's bytewise order) and varints. */
final class Bytes {
    private Bytes() {
    }

    static byte[] ofLong(long value) {
        byte[] out = new byte[Long.BYTES];
        putLong(out, 0, value);
        return out;
    }

    static void putLong(byte[] out, int at, long value) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            out[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    static long getLong(byte[] in, int at) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (in[at + i] & 0xFF);
        }
        return value;
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length
                && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Bytes of {@code value} as an unsigned LEB128 varint, the encoding RocksDB itself uses. */
    static int varintLength(long value) {
        return (Long.SIZE - Long.numberOfLeadingZeros(value | 1) + 6) / 7;
    }

    /** Reads unsigned LEB128 varints one after the other: small numbers take few bytes. */
    static final class VarintReader {
        private final byte[] in;
        private int position;

        VarintReader(byte[] in) {
            this.in = in;
        }

        long next() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }
    }
}
