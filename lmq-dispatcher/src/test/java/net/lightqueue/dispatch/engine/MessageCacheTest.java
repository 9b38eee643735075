package net.lightqueue.dispatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read cache holds recent messages, and never more bytes than its budget, whatever their size. */
class MessageCacheTest {

    private static final long MIB = 1 << 20;

    @Test
    void largePayloadsStayWithinTheByteBudgetAndTheNewestIsKept() {
        MessageCache cache = new MessageCache(65_536, 8 * MIB);
        for (long offset = 0; offset < 1_000; offset++) {
            cache.put(message(offset, (int) MIB)); // 1,000 MiB offered to an 8 MiB cache
            assertTrue(cache.bytes() <= 8 * MIB, "cached " + cache.bytes() + " bytes after message " + offset);
        }
        assertTrue(cache.bytes() >= 4 * MIB, "the budget is used, not emptied: " + cache.bytes());
        assertEquals(999, cache.get(999).commitLogOffset(), "the message just put is there for its other readers");
    }

    @Test
    void smallMessagesFillTheSlotsAndTheByteCountFollowsReplacements() {
        MessageCache cache = new MessageCache(16, 8 * MIB);
        DecodedMessage first = message(1, 100);
        cache.put(first);
        assertSame(first, cache.get(1));
        long one = cache.bytes();
        assertEquals(MessageCache.sizeOf(first), one);
        for (long offset = 2; offset < 1_000; offset++) {
            cache.put(message(offset, 100));
        }
        long largest = MessageCache.sizeOf(message(999, 100)); // the longest topic
        assertTrue(cache.bytes() <= 16 * largest, "at most one message per slot is counted: " + cache.bytes());
        assertTrue(cache.bytes() > 0);
    }

    @Test
    void aMessageLargerThanTheWholeBudgetIsNotCachedAndEvictsNothing() {
        MessageCache cache = new MessageCache(64, MIB);
        DecodedMessage small = message(1, 10);
        cache.put(small);
        cache.put(message(2, (int) (2 * MIB)));
        assertNull(cache.get(2));
        assertSame(small, cache.get(1));
        assertEquals(MessageCache.sizeOf(small), cache.bytes());
    }

    private static DecodedMessage message(long commitLogOffset, int bodyBytes) {
        return new DecodedMessage("t/" + commitLogOffset, new byte[bodyBytes], Map.of("mqttQos", "1"),
            System.currentTimeMillis(), commitLogOffset);
    }
}
