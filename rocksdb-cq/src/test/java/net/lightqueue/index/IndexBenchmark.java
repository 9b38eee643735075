package net.lightqueue.index;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/**
 * Measures the rocksdb-cq budgets: append rate (uniform and Zipf over 1M queues, batches of
 * 128), warm 32-entry range reads, bytes per entry after compaction, reopen time with 10M
 * entries after a clean close and after kill -9, and heap at 10k vs 1M queues.
 *
 * <p>Run: {@code mvn -q -o -pl rocksdb-cq test-compile exec:exec@bench}. For a quicker run, start
 * this class directly with smaller -Dbench.queues, -Dbench.entries, -Dbench.zipfEntries, -Dbench.reads.
 */
public final class IndexBenchmark {
    private static final int BATCH = 128;
    private static final int QUEUES = Integer.getInteger("bench.queues", 1_000_000);
    private static final long ENTRIES = Long.getLong("bench.entries", 10_000_000L);
    private static final long ZIPF_ENTRIES = Long.getLong("bench.zipfEntries", 5_000_000L);
    private static final long HEAP_ENTRIES = 3_000_000L;
    private static final int READS = Integer.getInteger("bench.reads", 200_000);
    private static final IndexOptions OPTIONS = IndexOptions.builder()
            .blockCacheBytes(512L << 20).writeBufferBytes(64L << 20).flushSizeBytes(64L << 20)
            .flushIntervalMillis(1_000).queueCacheSize(1 << 21).build();

    private IndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("fill")) {
            fillThenKeepWriting(Path.of(args[1]));
            return;
        }
        Path root = Path.of(args[0]);
        delete(root);
        Files.createDirectories(root);
        System.out.printf("cpus %d, queues %,d, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                QUEUES, Runtime.getRuntime().maxMemory() >> 20);
        uniformFillKillAndReopen(root.resolve("uniform"));
        zipfAppendAndRead(root.resolve("zipf"));
        heap(root.resolve("heap-10k"), 10_000);
        heap(root.resolve("heap-1m"), 1_000_000);
        delete(root);
    }

    /** Child JVM: uniform appends of ENTRIES, then keeps writing until killed. */
    private static void fillThenKeepWriting(Path dir) {
        LightQueueIndex index = LightQueueIndex.open(dir, OPTIONS);
        SplittableRandom random = new SplittableRandom(1);
        Appender appender = new Appender(index, bound -> random.nextInt(QUEUES));
        appender.run(ENTRIES, "append uniform");
        index.flush();
        System.out.println("filled");
        System.out.flush();
        while (true) {
            appender.batch();
        }
    }

    private static void uniformFillKillAndReopen(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx2g", "-Dbench.queues=" + QUEUES, "-Dbench.entries=" + ENTRIES,
                "-cp", System.getProperty("java.class.path"), IndexBenchmark.class.getName(), "fill", dir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals("filled"); line = out.readLine()) {
                System.out.println(line);
            }
            Thread.sleep(2_000); // dirty memtables at the moment of the kill
            child.destroyForcibly();
            child.waitFor();
        }
        reopen(dir, "reopen after kill -9");
        reopen(dir, "reopen after clean close");
        try (LightQueueIndex index = LightQueueIndex.open(dir, OPTIONS)) {
            long start = System.nanoTime();
            index.compact();
            IndexStats stats = index.stats();
            System.out.printf("compaction of %,d entries: %.1f s; bytes/entry: entries family %.1f, all families %.1f%n",
                    stats.entries(), seconds(start), (double) index.entriesDiskBytes() / stats.entries(),
                    (double) stats.diskBytes() / stats.entries());
        }
    }

    private static void reopen(Path dir, String label) {
        long start = System.nanoTime();
        try (LightQueueIndex index = LightQueueIndex.open(dir, OPTIONS)) {
            index.read(queue(0), 0, 32);
            System.out.printf("%s: %.2f s (%,d entries, checkpoint %d)%n", label, seconds(start),
                    index.stats().entries(), index.checkpoint());
        }
    }

    private static void zipfAppendAndRead(Path dir) {
        try (LightQueueIndex index = LightQueueIndex.open(dir, OPTIONS)) {
            Zipf zipf = new Zipf(QUEUES, 1.0);
            SplittableRandom random = new SplittableRandom(2);
            new Appender(index, bound -> zipf.sample(random)).run(ZIPF_ENTRIES, "append zipf(1.0)");
            index.flush();
            readWarm(index, random);
        }
    }

    /** Reads 32 entries at a random offset of a random queue holding at least 64 entries. */
    private static void readWarm(LightQueueIndex index, SplittableRandom random) {
        int hot = 0;
        while (hot < QUEUES && index.maxOffset(queue(hot)) >= 64) {
            hot++;
        }
        long[] nanos = new long[READS];
        for (int pass = 0; pass < 2; pass++) { // first pass warms cache and JIT
            for (int i = 0; i < READS; i++) {
                String queue = queue(random.nextInt(hot));
                long from = random.nextLong(index.maxOffset(queue) - 32);
                long start = System.nanoTime();
                int read = index.read(queue, from, 32).size();
                nanos[i] = System.nanoTime() - start;
                if (read != 32) {
                    throw new IllegalStateException("read " + read + " entries from " + queue);
                }
            }
        }
        Arrays.sort(nanos);
        System.out.printf("read 32 from %,d warm queues: p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n", hot,
                nanos[READS / 2] / 1e3, nanos[(int) (READS * 0.99)] / 1e3, nanos[(int) (READS * 0.999)] / 1e3);
    }

    private static void heap(Path dir, int queues) {
        long before = usedHeapAfterGc();
        try (LightQueueIndex index = LightQueueIndex.open(dir, OPTIONS)) {
            SplittableRandom random = new SplittableRandom(3);
            new Appender(index, bound -> random.nextInt(queues)).run(HEAP_ENTRIES, "append for heap, " + queues + " queues");
            System.out.printf("heap after GC, %,d queues: %d MiB with the index open (%d MiB before open)%n",
                    index.stats().queues(), usedHeapAfterGc() >> 20, before >> 20);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String queue(long i) {
        return "device/" + i + "/state";
    }

    /** Appends batches of 128 entries to queues chosen by a distribution. */
    private static final class Appender {
        private final LightQueueIndex index;
        private final LongUnaryOperator nextQueue;
        private long commitLogOffset;
        private long batchCount;

        Appender(LightQueueIndex index, LongUnaryOperator nextQueue) {
            this.index = index;
            this.nextQueue = nextQueue;
        }

        void run(long entries, String label) {
            long start = System.nanoTime();
            while (batchCount * BATCH < entries) {
                batch();
            }
            double seconds = seconds(start);
            System.out.printf("%s: %,d entries in %.1f s = %,.0f entries/s%n", label, batchCount * BATCH,
                    seconds, batchCount * BATCH / seconds);
            System.out.flush();
        }

        void batch() {
            IndexBatch batch = index.newBatch();
            long now = System.currentTimeMillis();
            for (int i = 0; i < BATCH; i++) {
                batch.append(queue(nextQueue.applyAsLong(0)), commitLogOffset, 300, now);
                commitLogOffset += 300;
            }
            batch.checkpoint(commitLogOffset);
            index.write(batch);
            batchCount++;
        }
    }

    /** Zipf sampling by inverse CDF over ranks 0..n-1 (rank 0 hottest). */
    private static final class Zipf {
        private final double[] cdf;

        Zipf(int n, double exponent) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1 / Math.pow(i + 1, exponent);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int sample(SplittableRandom random) {
            int at = Arrays.binarySearch(cdf, random.nextDouble());
            return Math.min(at < 0 ? -at - 1 : at, cdf.length - 1);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void delete(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
