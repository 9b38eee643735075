package net.lightqueue.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 128-bit MurmurHash3 (x64 variant, seed 0) of a queue name's UTF-8 bytes. The writer's queue
 * cache keys on it instead of on the name, so the cache holds no per-queue objects; with 128 bits
 * the chance that two of a billion names collide is about 10^-21.
 */
record NameHash(long high, long low) {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    static NameHash of(byte[] data) {
        long h1 = 0;
        long h2 = 0;
        int blocks = data.length / 16;
        for (int i = 0; i < blocks; i++) {
            h1 ^= mixK1((long) LONG_LE.get(data, i * 16));
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2((long) LONG_LE.get(data, i * 16 + 8));
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16;
        int remaining = data.length - tail;
        if (remaining > 8) {
            h2 ^= mixK2(littleEndian(data, tail + 8, remaining - 8));
        }
        if (remaining > 0) {
            h1 ^= mixK1(littleEndian(data, tail, Math.min(remaining, 8)));
        }
        h1 ^= data.length;
        h2 ^= data.length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        return new NameHash(h1, h2);
    }

    private static long littleEndian(byte[] data, int from, int count) {
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = (value << 8) | (data[from + i] & 0xFF);
        }
        return value;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
