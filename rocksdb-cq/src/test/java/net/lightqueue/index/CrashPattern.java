package net.lightqueue.index;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic writes of the crash test, and the state they add up to. Batch {@code n}
 * carries checkpoint {@code n}, appends to 16 of 200 queues, puts one derived-state key and
 * deletes another; before every 97th batch a retention run removes the entries of the batches
 * more than 97 back (a write of its own, carrying no checkpoint).
 */
final class CrashPattern {
    static final String FAMILY = "state";
    static final IndexOptions OPTIONS = IndexOptions.builder()
            // Tiny memtables and bounds: flushes happen all the time, so kills land in them.
            .blockCacheBytes(8 << 20).writeBufferBytes(256 << 10).flushSizeBytes(64 << 10)
            .flushIntervalMillis(20).queueCacheSize(64).derivedFamilies(FAMILY)
            .build();
    private static final int QUEUES = 200;
    private static final int APPENDS = 16;
    private static final int KEYS = 50;
    private static final int RETENTION_EVERY = 97;

    private CrashPattern() {
    }

    /** The commitlog offset below which retention removes entries before batch {@code n}, or -1 for none. */
    static long retentionBefore(long n) {
        return n % RETENTION_EVERY == 0 && n > RETENTION_EVERY ? commitLogOffset(n - RETENTION_EVERY, 0) : -1;
    }

    static void fill(IndexBatch batch, long n) {
        for (int j = 0; j < APPENDS; j++) {
            batch.append(queue(n * 7 + j * 13), commitLogOffset(n, j), j + 1, n);
        }
        batch.put(FAMILY, key(n), Long.toString(n).getBytes(UTF_8));
        batch.delete(FAMILY, key(n + 17));
        batch.checkpoint(n);
    }

    static String queue(long i) {
        return "crash/q" + (i % QUEUES);
    }

    private static long commitLogOffset(long n, int j) {
        return n * APPENDS + j;
    }

    private static byte[] key(long n) {
        return ("k" + (n % KEYS)).getBytes(UTF_8);
    }

    /**
     * What the writes up to batch {@code last} add up to; with {@code nextRetention}, also the
     * retention run before batch {@code last + 1}, which a crash may or may not have let survive.
     */
    static final class Expected {
        /** Per queue, the commitlog offsets of the entries still held. */
        final Map<String, List<Long>> queues = new HashMap<>();
        /** Per queue, the entries ever appended: its max offset. */
        final Map<String, Long> appended = new HashMap<>();
        final Map<String, String> state = new HashMap<>();

        static Expected after(long last, boolean nextRetention) {
            Expected expected = new Expected();
            for (long n = 0; n <= last; n++) {
                expected.apply(n);
            }
            if (nextRetention) {
                expected.retain(retentionBefore(last + 1));
            }
            return expected;
        }

        private void apply(long n) {
            retain(retentionBefore(n));
            for (int j = 0; j < APPENDS; j++) {
                String queue = queue(n * 7 + j * 13);
                queues.computeIfAbsent(queue, q -> new ArrayList<>()).add(commitLogOffset(n, j));
                appended.merge(queue, 1L, Long::sum);
            }
            state.put(new String(key(n), UTF_8), Long.toString(n));
            state.remove(new String(key(n + 17), UTF_8));
        }

        private void retain(long below) {
            queues.values().forEach(offsets -> offsets.removeIf(offset -> offset < below));
        }

        long entries() {
            return queues.values().stream().mapToLong(List::size).sum();
        }
    }
}
