package net.lightqueue.index;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic batches of the crash test, and the state they add up to. Batch {@code n}
 * carries checkpoint {@code n}, appends to 16 of 200 queues, puts one derived-state key and
 * deletes another; every 97th batch first deletes a queue (which the appends may recreate).
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

    private CrashPattern() {
    }

    static void fill(IndexBatch batch, long n) {
        if (n % 97 == 0) {
            batch.deleteQueue(queue(n / 97));
        }
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

    /** What batches 0..last add up to. */
    static final class Expected {
        final Map<String, List<Long>> queues = new HashMap<>();
        final Map<String, String> state = new HashMap<>();

        static Expected after(long last) {
            Expected expected = new Expected();
            for (long n = 0; n <= last; n++) {
                expected.apply(n);
            }
            return expected;
        }

        private void apply(long n) {
            if (n % 97 == 0) {
                queues.remove(queue(n / 97));
            }
            for (int j = 0; j < APPENDS; j++) {
                queues.computeIfAbsent(queue(n * 7 + j * 13), q -> new ArrayList<>()).add(commitLogOffset(n, j));
            }
            state.put(new String(key(n), UTF_8), Long.toString(n));
            state.remove(new String(key(n + 17), UTF_8));
        }

        long entries() {
            return queues.values().stream().mapToLong(List::size).sum();
        }
    }
}
