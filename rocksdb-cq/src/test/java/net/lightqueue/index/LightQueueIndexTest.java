package net.lightqueue.index;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightQueueIndexTest {
    static final IndexOptions OPTIONS = IndexOptions.builder()
            .blockCacheBytes(8 << 20).writeBufferBytes(1 << 20).flushSizeBytes(1 << 20)
            .flushIntervalMillis(60_000).queueCacheSize(16).derivedFamilies("filters", "sessions")
            .build();

    @TempDir
    Path dir;
    LightQueueIndex index;

    @BeforeEach
    void open() {
        index = LightQueueIndex.open(dir, OPTIONS);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void appendsGetDenseOffsetsPerQueueWithinAndAcrossBatches() {
        IndexBatch batch = index.newBatch();
        assertEquals(0, batch.append("a/b", 100, 10, 1));
        assertEquals(0, batch.append("c", 110, 10, 1));
        assertEquals(1, batch.append("a/b", 120, 10, 1));
        index.write(batch);
        IndexBatch next = index.newBatch();
        assertEquals(2, next.append("a/b", 130, 10, 2));
        index.write(next);

        assertEquals(3, index.maxOffset("a/b"));
        assertEquals(1, index.maxOffset("c"));
        assertEquals(0, index.minOffset("a/b"));
        assertEquals(List.of(new IndexEntry(1, 120, 10, 1), new IndexEntry(2, 130, 10, 2)),
                index.read("a/b", 1, 10));
        assertEquals(List.of(new IndexEntry(0, 100, 10, 1)), index.read("a/b", 0, 1));
        assertEquals(List.of(), index.read("a/b", 3, 10));
        assertEquals(List.of(), index.read("c", 0, 0));
    }

    @Test
    void aClearedIndexIsNewAgainAndStaysSoAcrossAReopen() {
        IndexBatch batch = index.newBatch();
        batch.append("a/b", 100, 10, 1);
        batch.append("a/b", 110, 10, 1);
        batch.append("c", 120, 10, 1);
        batch.put("sessions", bytes("s/1"), bytes("one"));
        batch.checkpoint(130);
        index.write(batch);
        IndexBatch stale = index.newBatch();

        index.clear();

        assertEquals(LightQueueIndex.NO_CHECKPOINT, index.checkpoint());
        assertEquals(0, index.maxOffset("a/b"));
        assertEquals(List.of(), index.read("a/b", 0, 10));
        assertEquals(OptionalLong.empty(), index.queueId("c"));
        assertNull(index.get("sessions", bytes("s/1")));
        assertEquals(0, index.stats().queues());
        assertEquals(0, index.stats().entries());
        stale.append("a/b", 130, 10, 1);
        assertThrows(IllegalStateException.class, () -> index.write(stale), "a batch from before the clear");

        IndexBatch after = index.newBatch();
        assertEquals(0, after.append("a/b", 200, 10, 2), "queue offsets start over");
        after.checkpoint(210);
        index.write(after);
        index.close();
        index = LightQueueIndex.open(dir, OPTIONS);
        assertEquals(210, index.checkpoint());
        assertEquals(1, index.maxOffset("a/b"));
        assertEquals(200, index.read("a/b", 0, 10).get(0).commitLogOffset());
        assertEquals(0, index.maxOffset("c"));
        assertNull(index.get("sessions", bytes("s/1")));
    }

    @Test
    void unknownQueuesAreEmpty() {
        assertEquals(0, index.maxOffset("nobody"));
        assertEquals(0, index.minOffset("nobody"));
        assertEquals(List.of(), index.read("nobody", 0, 10));
        assertEquals(OptionalLong.empty(), index.queueId("nobody"));
        assertEquals(Optional.empty(), index.queueName(42));
    }

    @Test
    void namesAreInternedBothWays() {
        IndexBatch batch = index.newBatch();
        batch.append("sport/+/score", 1, 1, 1);
        batch.append("天気/東京", 2, 1, 1);
        index.write(batch);
        long a = index.queueId("sport/+/score").orElseThrow();
        long b = index.queueId("天気/東京").orElseThrow();
        assertNotEquals(a, b);
        assertEquals(Optional.of("sport/+/score"), index.queueName(a));
        assertEquals(Optional.of("天気/東京"), index.queueName(b));
    }

    @Test
    void aBatchIsInvisibleUntilWritten() {
        IndexBatch batch = index.newBatch();
        batch.append("q", 1, 1, 1);
        batch.put("filters", bytes("f"), bytes("1"));
        assertEquals(0, index.maxOffset("q"));
        assertNull(index.get("filters", bytes("f")));
        index.write(batch);
        assertEquals(1, index.maxOffset("q"));
        assertArrayEquals(bytes("1"), index.get("filters", bytes("f")));
    }

    @Test
    void derivedStateSupportsPutDeleteAndPrefixScan() {
        IndexBatch batch = index.newBatch();
        batch.put("sessions", bytes("s/1"), bytes("one"));
        batch.put("sessions", bytes("s/2"), bytes("two"));
        batch.put("sessions", bytes("s/3"), bytes("three"));
        batch.put("sessions", bytes("t/1"), bytes("other"));
        batch.put("filters", bytes("s/9"), bytes("other family"));
        batch.delete("sessions", bytes("s/2"));
        index.write(batch);

        List<String> seen = new ArrayList<>();
        index.scan("sessions", bytes("s/"), (key, value) -> seen.add(string(key) + "=" + string(value)));
        assertEquals(List.of("s/1=one", "s/3=three"), seen);

        List<String> first = new ArrayList<>();
        index.scan("sessions", bytes(""), (key, value) -> {
            first.add(string(key));
            return false;
        });
        assertEquals(List.of("s/1"), first);
    }

    @Test
    void unknownFamilyIsRefused() {
        IndexBatch batch = index.newBatch();
        IndexException e = assertThrows(IndexException.class, () -> batch.put("retained", bytes("k"), bytes("v")));
        assertTrue(e.getMessage().contains("retained"), e.getMessage());
        assertThrows(IndexException.class, () -> index.get("retained", bytes("k")));
    }

    @Test
    void oversizedNameIsRefusedWithItsLengthAndTheLimit() {
        String limit = "x".repeat(LightQueueIndex.MAX_QUEUE_NAME_BYTES);
        IndexBatch batch = index.newBatch();
        batch.append(limit, 1, 1, 1);
        // 'é' is two bytes in UTF-8: the limit counts bytes, not characters.
        String over = "é".repeat(LightQueueIndex.MAX_QUEUE_NAME_BYTES / 2) + "x";
        IndexException e = assertThrows(IndexException.class, () -> batch.append(over, 1, 1, 1));
        assertTrue(e.getMessage().contains(String.valueOf(LightQueueIndex.MAX_QUEUE_NAME_BYTES + 1)), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(LightQueueIndex.MAX_QUEUE_NAME_BYTES)), e.getMessage());
        assertThrows(IndexException.class, () -> batch.append("", 1, 1, 1));
        index.write(batch);
        assertEquals(1, index.maxOffset(limit));
    }

    @Test
    void staleAndRewrittenBatchesAreRefused() {
        IndexBatch first = index.newBatch();
        IndexBatch second = index.newBatch();
        first.append("q", 1, 1, 1);
        second.append("q", 2, 1, 1);
        index.write(first);
        assertThrows(IllegalStateException.class, () -> index.write(second));
        assertThrows(IllegalStateException.class, () -> index.write(first));
        assertThrows(IllegalStateException.class, () -> first.append("q", 3, 1, 1));
        assertEquals(1, index.maxOffset("q"));
    }

    @Test
    void reopenComesBackAtTheFlushedCheckpointAndMakesOlderBatchesStale() {
        IndexBatch flushed = index.newBatch();
        flushed.append("q", 10, 1, 1);
        flushed.checkpoint(100);
        index.write(flushed);
        index.flush();
        IndexBatch unflushed = index.newBatch();
        unflushed.append("q", 20, 1, 1);
        unflushed.checkpoint(200);
        index.write(unflushed);
        IndexBatch begunBefore = index.newBatch();
        begunBefore.append("q", 30, 1, 1);

        index.reopen();

        assertTrue(index.checkpoint() >= 100, "checkpoint " + index.checkpoint());
        assertEquals(10, index.read("q", 0, 10).get(0).commitLogOffset());
        IllegalStateException stale = assertThrows(IllegalStateException.class, () -> index.write(begunBefore));
        assertTrue(stale.getMessage().contains("reopened"), stale.getMessage());
        IndexBatch after = index.newBatch();
        after.append("q", 30, 1, 1);
        after.checkpoint(300);
        index.write(after);
        assertEquals(300, index.checkpoint());
    }

    @Test
    void callsAfterCloseFailClearly() {
        IndexBatch batch = index.newBatch();
        batch.append("q", 1, 1, 1);
        index.close();
        IndexException e = assertThrows(IndexException.class, () -> index.write(batch));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IndexException.class, () -> index.read("q", 0, 1));
        assertThrows(IndexException.class, index::newBatch);
        index.close();
    }

    @Test
    void checkpointBecomesDurableOnFlush() {
        assertEquals(LightQueueIndex.NO_CHECKPOINT, index.checkpoint());
        IndexBatch batch = index.newBatch();
        batch.append("q", 1, 1, 1);
        batch.checkpoint(500);
        index.write(batch);
        IndexBatch withoutCheckpoint = index.newBatch();
        withoutCheckpoint.append("q", 2, 1, 1);
        index.write(withoutCheckpoint);
        assertEquals(500, index.checkpoint());
        assertEquals(LightQueueIndex.NO_CHECKPOINT, index.durableCheckpoint());
        index.flush();
        assertEquals(500, index.durableCheckpoint());
        assertEquals(500, index.stats().durableCheckpoint());
    }

    @Test
    void timeBoundFlushMakesTheCheckpointDurableWithoutCalls() throws InterruptedException {
        index.close();
        index = LightQueueIndex.open(dir, IndexOptions.builder().flushIntervalMillis(20).build());
        IndexBatch batch = index.newBatch();
        batch.append("q", 1, 1, 1);
        batch.checkpoint(77);
        index.write(batch);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (index.durableCheckpoint() != 77 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(77, index.durableCheckpoint());
    }

    @Test
    void sizeBoundFlushMakesTheCheckpointDurable() throws InterruptedException {
        index.close();
        index = LightQueueIndex.open(dir, IndexOptions.builder().flushSizeBytes(4096)
                .flushIntervalMillis(3_600_000).build());
        IndexBatch batch = index.newBatch();
        for (int i = 0; i < 200; i++) {
            batch.append("q" + i, i, 1, 1);
        }
        batch.checkpoint(9);
        index.write(batch);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (index.durableCheckpoint() != 9 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(9, index.durableCheckpoint());
    }

    @Test
    void cleanCloseKeepsEverything() {
        IndexBatch batch = index.newBatch();
        for (int i = 0; i < 100; i++) {
            batch.append("q" + (i % 7), i, i, i);
        }
        batch.put("filters", bytes("f"), bytes("v"));
        batch.checkpoint(99);
        index.write(batch);
        long id = index.queueId("q3").orElseThrow();
        index.close();

        index = LightQueueIndex.open(dir, OPTIONS);
        assertEquals(99, index.checkpoint());
        assertEquals(99, index.durableCheckpoint());
        assertEquals(new IndexStats(7, 100, index.stats().diskBytes(), index.stats().memtableBytes(),
                index.stats().blockCacheBytes(), 99, 99), index.stats());
        assertEquals(15, index.maxOffset("q0"));
        assertEquals(id, index.queueId("q3").orElseThrow());
        assertArrayEquals(bytes("v"), index.get("filters", bytes("f")));
        IndexBatch more = index.newBatch();
        assertEquals(15, more.append("q0", 100, 1, 1));
        long fresh = more.append("new", 101, 1, 1);
        assertEquals(0, fresh);
        index.write(more);
        assertTrue(index.queueId("new").orElseThrow() > id);
    }

    @Test
    void emptyStoreReopens() {
        index.close();
        index = LightQueueIndex.open(dir, OPTIONS);
        assertEquals(LightQueueIndex.NO_CHECKPOINT, index.checkpoint());
        assertEquals(0, index.stats().queues());
        assertEquals(0, index.stats().entries());
    }

    @Test
    void derivedFamiliesAddedLaterAreCreatedAndOldOnesKept() {
        IndexBatch batch = index.newBatch();
        batch.put("filters", bytes("k"), bytes("v"));
        index.write(batch);
        index.close();
        index = LightQueueIndex.open(dir, IndexOptions.builder().derivedFamilies("retained").build());
        IndexBatch next = index.newBatch();
        next.put("retained", bytes("r"), bytes("1"));
        index.write(next);
        assertArrayEquals(bytes("v"), index.get("filters", bytes("k")));
    }

    @Test
    void retentionMovesMinOffsetsAndSurvivesReopen() {
        IndexBatch batch = index.newBatch();
        for (int i = 0; i < 30; i++) {
            batch.append(i % 3 == 0 ? "a" : "b", i, 1, 1);
        }
        batch.append("late", 100, 1, 1);
        index.write(batch);

        assertEquals(4 + 8, index.deleteEntriesBelow(12));
        assertEquals(4, index.minOffset("a"));
        assertEquals(10, index.maxOffset("a"));
        assertEquals(12, index.read("a", 0, 1).get(0).commitLogOffset());
        assertEquals(8, index.minOffset("b"));
        assertEquals(0, index.minOffset("late"));
        assertEquals(31 - 12, index.stats().entries());

        assertEquals(6 + 12, index.deleteEntriesBelow(100));
        assertEquals(10, index.minOffset("a"));
        assertEquals(List.of(), index.read("a", 0, 10));
        index.close();
        index = LightQueueIndex.open(dir, OPTIONS);
        assertEquals(10, index.minOffset("a"));
        assertEquals(10, index.maxOffset("a"));
        assertEquals(1, index.stats().entries());
        IndexBatch after = index.newBatch();
        assertEquals(10, after.append("a", 200, 1, 1));
        index.write(after);
        assertEquals(List.of(new IndexEntry(10, 200, 1, 1)), index.read("a", 0, 10));
    }

    @Test
    void retentionOfALongQueueIsWrittenInChunks() {
        for (int b = 0; b < 5; b++) {
            IndexBatch batch = index.newBatch();
            for (int i = 0; i < 5_000; i++) {
                batch.append("long", b * 5_000L + i, 1, 1);
            }
            index.write(batch);
        }
        assertEquals(22_000, index.deleteEntriesBelow(22_000));
        assertEquals(22_000, index.minOffset("long"));
        assertEquals(3_000, index.stats().entries());
        assertEquals(22_000, index.read("long", 0, 1).get(0).commitLogOffset());
    }

    @Test
    void manyQueuesThroughATinyCacheKeepTheirOffsets() {
        for (int round = 0; round < 3; round++) {
            IndexBatch batch = index.newBatch();
            for (int q = 0; q < 500; q++) {
                assertEquals(round, batch.append("q" + q, round * 500L + q, 1, 1));
            }
            index.write(batch);
        }
        for (int q = 0; q < 500; q++) {
            assertEquals(3, index.maxOffset("q" + q));
        }
        assertEquals(500, index.stats().queues());
        assertEquals(1500, index.stats().entries());
        assertFalse(index.stats().blockCacheBytes() < 0);
    }

    @Test
    void readersSeeWholeBatchesWhileTheWriterRuns() throws Exception {
        Thread[] readers = new Thread[3];
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                try {
                    while (!done.get()) {
                        // Each batch appends one entry to both queues: they never differ. A read
                        // may stop at an earlier batch (the tail cache), but is never empty then.
                        long a = index.maxOffset("x");
                        List<IndexEntry> entries = index.read("x", 0, Integer.MAX_VALUE);
                        assertTrue(a == 0 || !entries.isEmpty());
                        for (int i = 0; i < entries.size(); i++) {
                            assertEquals(i, entries.get(i).queueOffset());
                            assertEquals(2L * i, entries.get(i).commitLogOffset());
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            readers[r].start();
        }
        for (int i = 0; i < 2_000; i++) {
            IndexBatch batch = index.newBatch();
            batch.append("x", 2L * i, 1, 1);
            batch.append("y", 2L * i + 1, 1, 1);
            index.write(batch);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(index.maxOffset("x"), index.maxOffset("y"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String string(byte[] b) {
        return new String(b, UTF_8);
    }
}
