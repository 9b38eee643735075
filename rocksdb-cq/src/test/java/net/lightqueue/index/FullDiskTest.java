package net.lightqueue.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index on a small tmpfs that fills up: writes fail, and a reopen brings it back once space returns. */
class FullDiskTest {
    private static final IndexOptions OPTIONS = IndexOptions.builder()
            .blockCacheBytes(1 << 20).writeBufferBytes(1 << 20).flushSizeBytes(64 << 10)
            .flushIntervalMillis(20).queueCacheSize(16).build();

    @TempDir
    Path base;
    Path mount;
    Path filler;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mount = Files.createDirectory(base.resolve("small"));
        filler = mount.resolve("filler");
        int exit = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
        Assumptions.assumeTrue(exit == 0, "mounting a tmpfs needs root (or CAP_SYS_ADMIN); full-disk test skipped");
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", "-l", mount.toString());
    }

    @Test
    void writesFailOnAFullDiskAndAReopenAfterSpaceReturnsKeepsTheDurablePrefix() throws Exception {
        Path dir = mount.resolve("index");
        try (LightQueueIndex index = LightQueueIndex.open(dir, OPTIONS)) {
            long offset = 0;
            offset = writeBatch(index, offset);
            index.flush();
            long durable = index.durableCheckpoint();
            long durableEntries = index.maxOffset("q");
            fillUp();

            IndexException failure = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    offset = writeBatch(index, offset);
                } catch (IndexException e) {
                    failure = e;
                }
            }
            if (failure == null) {
                fail("writes kept succeeding on a full disk");
            }
            assertTrue(failure.diskFull(), "not recognised as a full disk: " + failure);
            // Sticky while the database stays open.
            long reached = offset;
            assertThrows(IndexException.class, () -> writeBatch(index, reached));

            Files.delete(filler);
            index.reopen();

            assertTrue(index.checkpoint() >= durable, "checkpoint " + index.checkpoint() + " below " + durable);
            long entries = index.maxOffset("q");
            assertTrue(entries >= durableEntries, entries + " entries, " + durableEntries + " were durable");
            // The index is the consistent prefix up to its checkpoint: entry i points at commitlog offset 100 * i.
            assertEquals((entries - 1) * 100, index.read("q", entries - 1, 1).get(0).commitLogOffset());
            assertEquals(entries * 100, index.checkpoint());
            writeBatch(index, entries * 100);
            index.flush();
            assertEquals(entries * 100 + 1000 * 100, index.durableCheckpoint());
        }
    }

    /** Appends 1000 entries of 100 bytes each from {@code commitLogOffset}, with the checkpoint after them. */
    private static long writeBatch(LightQueueIndex index, long commitLogOffset) {
        IndexBatch batch = index.newBatch();
        long next = commitLogOffset;
        for (int i = 0; i < 1000; i++) {
            batch.append("q", next, 100, next);
            next += 100;
        }
        batch.checkpoint(next);
        index.write(batch);
        return next;
    }

    private void fillUp() throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
                throw e;
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }
}
