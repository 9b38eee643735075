package net.lightqueue.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void entryKeysSortByQueueThenOffset() {
        byte[] a = EntryCodec.key(1, 255);
        byte[] b = EntryCodec.key(1, 256);
        byte[] c = EntryCodec.key(2, 0);
        assertTrue(Arrays.compareUnsigned(a, b) < 0);
        assertTrue(Arrays.compareUnsigned(b, c) < 0);
        assertEquals(1, EntryCodec.queueId(b));
        assertEquals(256, EntryCodec.queueOffset(b));
    }

    @Test
    void queueRecordRoundTrips() {
        QueueRecord record = new QueueRecord(7, 3);
        assertEquals(record, QueueRecord.decode(record.encode()));
        assertEquals(16, record.encode().length);
    }

    /** Reference values of MurmurHash3 x64 128, seed 0. */
    @Test
    void nameHashIsMurmur3() {
        assertEquals(new NameHash(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L),
                NameHash.of("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new NameHash(0x658ca970ff85269aL, 0x43fee3eaa68e5c3eL),
                NameHash.of("The quick brown fox jumps over the lazy cog".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new NameHash(0, 0), NameHash.of(new byte[0]));
    }

    @Test
    void queueCacheEvictsWithinItsBound() {
        QueueCache cache = new QueueCache(8);
        for (int i = 0; i < 1000; i++) {
            cache.put(hash(i), new QueueState(i, 0, i + 1));
        }
        int hits = 0;
        for (int i = 0; i < 1000; i++) {
            QueueState state = cache.get(hash(i));
            if (state != null) {
                assertEquals(new QueueState(i, 0, i + 1), state);
                hits++;
            }
        }
        assertTrue(hits > 0 && hits <= 8, "hits " + hits);
        cache.put(hash(5000), new QueueState(0, 1, 2));
        assertEquals(new QueueState(0, 1, 2), cache.get(hash(5000)));
    }

    private static NameHash hash(int i) {
        return NameHash.of(("queue-" + i).getBytes(StandardCharsets.UTF_8));
    }
}
