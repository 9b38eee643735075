package net.lightqueue.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads at a queue's end come from the tail cache and say exactly what RocksDB says. */
class TailCacheTest {

    @TempDir
    Path dir;
    LightQueueIndex index;

    @BeforeEach
    void open() {
        index = LightQueueIndex.open(dir, LightQueueIndexTest.OPTIONS);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private void append(String queue, int count) {
        IndexBatch batch = index.newBatch();
        for (int i = 0; i < count; i++) {
            long offset = index.maxOffset(queue) + i;
            batch.append(queue, commitLogOffset(offset), 10, offset);
        }
        index.write(batch);
    }

    private static long commitLogOffset(long queueOffset) {
        return 1_000 + 100 * queueOffset;
    }

    private static List<IndexEntry> expected(long from, long to) {
        List<IndexEntry> entries = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            entries.add(new IndexEntry(offset, commitLogOffset(offset), 10, offset));
        }
        return entries;
    }

    @Test
    void aFollowedQueueIsReadFromTheCacheOnceAReaderMissedIt() {
        append("q", 3);
        assertEquals(expected(0, 3), index.read("q", 0, 10), "the first read misses and asks for the queue");
        assertEquals(0, index.tailCacheHits());

        append("q", 2);
        assertEquals(expected(3, 5), index.read("q", 3, 10));
        assertEquals(expected(3, 4), index.read("q", 3, 1), "at most maxCount");
        assertEquals(2, index.tailCacheHits());
        assertEquals(List.of(), index.read("q", 5, 10), "nothing beyond the end: only RocksDB says so");
        assertEquals(expected(0, 5), index.read("q", 0, 10), "older than the cache: read from RocksDB");
        assertEquals(2, index.tailCacheHits());
    }

    @Test
    void aQueueReadBeforeItsFirstEntryIsCachedFromItsStart() {
        assertEquals(List.of(), index.read("new", 0, 10));
        append("new", 4);
        assertEquals(expected(0, 4), index.read("new", 0, 10));
        assertEquals(1, index.tailCacheHits());
    }

    @Test
    void entriesOverwrittenInTheRingAreReadFromRocksDb() {
        index.read("q", 0, 1);
        append("q", TailCache.ENTRIES + 10);
        assertEquals(expected(0, TailCache.ENTRIES + 10), index.read("q", 0, Integer.MAX_VALUE));
        assertEquals(0, index.tailCacheHits());
        assertEquals(expected(10, TailCache.ENTRIES + 10), index.read("q", 10, Integer.MAX_VALUE));
        assertEquals(1, index.tailCacheHits());
    }

    @Test
    void anUnwrittenBatchIsNotVisibleInTheCache() {
        index.read("q", 0, 1);
        append("q", 2);
        IndexBatch pending = index.newBatch();
        pending.append("q", commitLogOffset(2), 10, 2);

        assertEquals(List.of(), index.read("q", 2, 10));
        index.write(pending);
        assertEquals(expected(2, 3), index.read("q", 2, 10));
    }

    @Test
    void retentionDropsTheCacheSoNoRemovedEntryIsServed() {
        index.read("q", 0, 1);
        append("q", 5);
        assertEquals(expected(0, 5), index.read("q", 0, 10));

        index.deleteEntriesBelow(commitLogOffset(3));

        assertEquals(expected(3, 5), index.read("q", 0, 10));
        assertEquals(3, index.minOffset("q"));
    }

    @Test
    void aClearedIndexServesNothingFromTheCache() {
        index.read("q", 0, 1);
        append("q", 5);
        index.clear();
        assertEquals(List.of(), index.read("q", 0, 10));
    }

    @Test
    void twoQueuesOfOneSlotEachReadTheirOwnEntriesWhileTheWrittenOneKeepsTheSlot() {
        String first = "q";
        String second = sameSlotAs(first);
        index.read(first, 0, 1);
        append(first, 3);
        index.read(second, 0, 1); // wanted too, but the slot's queue is being written
        append(second, 2);
        append(first, 1);

        assertEquals(expected(3, 4), index.read(first, 3, 10));
        assertEquals(1, index.tailCacheHits());
        assertEquals(expected(0, 2), index.read(second, 0, 10), "from RocksDB, not from the other queue's slot");
        assertEquals(1, index.tailCacheHits());
    }

    private static String sameSlotAs(String queue) {
        long slot = slotOf(queue);
        for (int i = 0; ; i++) {
            String other = "other-" + i;
            if (slotOf(other) == slot) {
                return other;
            }
        }
    }

    private static long slotOf(String queue) {
        return NameHash.of(QueueName.encode(queue)).low() & (TailCache.SLOTS - 1);
    }

    @Test
    void readersFollowingTheEndSeeExactlyTheCommittedEntriesWhileTheWriterRuns() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread[] readers = new Thread[3];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                long position = 0;
                try {
                    while (!done.get()) {
                        // Like a subscriber: from its position, a few at a time, never skipping or
                        // repeating, and never told "nothing more" while the index holds more.
                        long end = index.maxOffset("x");
                        List<IndexEntry> read = index.read("x", position, 7);
                        assertTrue(position >= end || !read.isEmpty(), "empty at " + position + " of " + end);
                        for (IndexEntry entry : read) {
                            assertEquals(position, entry.queueOffset());
                            assertEquals(commitLogOffset(position), entry.commitLogOffset());
                            assertEquals(position, entry.storeTimestamp());
                            position++;
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            readers[r].start();
        }
        for (int i = 0; i < 3_000; i++) {
            append("x", 1 + i % 5);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(List.of(), failures);
        assertTrue(index.tailCacheHits() > 0, "the readers were served from the cache");
    }
}
