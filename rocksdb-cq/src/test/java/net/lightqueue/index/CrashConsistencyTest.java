package net.lightqueue.index;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments and checks, after each kill, that the
 * reopened index holds exactly the writes up to its checkpoint (batches and retention runs): every
 * queue's entries and max offset, the counters and the derived state match the model, and the
 * checkpoint is not older than any durable checkpoint the child reported before it died.
 */
class CrashConsistencyTest {
    private static final int ROUNDS = 24;

    @TempDir
    Path dir;

    @Test
    void everyKillLeavesAConsistentPrefix() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long previous = LightQueueIndex.NO_CHECKPOINT;
        for (int round = 0; round < ROUNDS; round++) {
            String context = "round " + round + ", seed " + seed;
            Child child = Child.start(dir);
            // Most kills hit a busy writer; every fourth may hit the child while it opens.
            if (round % 4 != 3) {
                assertTrue(child.ready.await(60, TimeUnit.SECONDS), context + ": child never got ready");
            }
            if (round == 0) {
                IndexException locked = assertThrows(IndexException.class,
                        () -> LightQueueIndex.open(dir, CrashPattern.OPTIONS));
                assertTrue(locked.getMessage().contains("locked"), locked.getMessage());
            }
            Thread.sleep(random.nextInt(400));
            long reportedDurable = child.kill();

            long checkpoint = verify(context);
            assertTrue(checkpoint >= previous, context + ": checkpoint went back from " + previous + " to " + checkpoint);
            assertTrue(checkpoint >= reportedDurable,
                    context + ": lost checkpoint " + reportedDurable + " reported durable; reopened at " + checkpoint);
            System.out.printf("%s: reopened at checkpoint %d, child had reported %d durable%n",
                    context, checkpoint, reportedDurable);
            previous = checkpoint;
        }
        assertTrue(previous > 0, "the writer never made a checkpoint durable");
    }

    private long verify(String context) {
        try (LightQueueIndex index = LightQueueIndex.open(dir, CrashPattern.OPTIONS)) {
            long checkpoint = index.checkpoint();
            CrashPattern.Expected expected = CrashPattern.Expected.after(checkpoint, false);
            if (index.stats().entries() != expected.entries()) {
                // The retention run written after the checkpoint's batch survived too.
                expected = CrashPattern.Expected.after(checkpoint, true);
            }
            for (int q = 0; q < 200; q++) {
                String queue = CrashPattern.queue(q);
                List<Long> offsets = expected.queues.getOrDefault(queue, List.of());
                assertEquals(expected.appended.getOrDefault(queue, 0L), index.maxOffset(queue),
                        context + ": max offset of " + queue);
                List<Long> actual = index.read(queue, 0, Integer.MAX_VALUE).stream()
                        .map(IndexEntry::commitLogOffset).toList();
                assertEquals(offsets, actual, context + ": entries of " + queue);
            }
            assertEquals(expected.queues.size(), index.stats().queues(), context + ": queue count");
            assertEquals(expected.entries(), index.stats().entries(), context + ": entry count");
            Map<String, String> state = new HashMap<>();
            index.scan(CrashPattern.FAMILY, new byte[0],
                    (key, value) -> state.put(new String(key, UTF_8), new String(value, UTF_8)) == null);
            assertEquals(expected.state, state, context + ": derived state");
            return checkpoint;
        }
    }

    /** The writer JVM and what it reported on stdout. */
    private static final class Child {
        final Process process;
        final CountDownLatch ready = new CountDownLatch(1);
        final AtomicLong durable = new AtomicLong(LightQueueIndex.NO_CHECKPOINT);
        final Thread reader;

        private Child(Process process) {
            this.process = process;
            this.reader = new Thread(this::readReports, "crash-writer-stdout");
            this.reader.start();
        }

        static Child start(Path dir) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), dir.toString());
            builder.redirectErrorStream(true);
            return new Child(builder.start());
        }

        private void readReports() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("ready")) {
                        ready.countDown();
                    } else if (line.startsWith("durable ")) {
                        durable.set(Long.parseLong(line.substring("durable ".length())));
                    } else {
                        System.err.println("crash writer: " + line);
                    }
                }
            } catch (IOException e) {
                // The pipe breaks when the child is killed.
            }
        }

        /** SIGKILLs the child; returns the last durable checkpoint it reported before dying. */
        long kill() throws InterruptedException {
            long reported = durable.get();
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child did not die");
            reader.join();
            return reported;
        }
    }
}
