package net.lightqueue.dispatch.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.lightqueue.index.IndexBatch;
import net.lightqueue.index.IndexOptions;
import net.lightqueue.index.LightQueueIndex;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * The retained lookup budget (not a test: run it by hand, see docs/benchmarks.md):
 * {@code topics} first-level topics with {@code perTopic} retained messages each
 * ({@code t<i>/g<k>/d<j>}, 100 per {@code g} level, 64-byte bodies), then wildcard filters
 * {@code t<i>/g<k>/+} that match 100 each, on a reopened index (empty block cache).
 *
 * <p>System properties: {@code topics} (1000), {@code perTopic} (1000), {@code lookups} (1000).
 */
public final class RetainedLookupBenchmark {

    private static final int TOPICS = Integer.getInteger("topics", 1000);
    private static final int PER_TOPIC = Integer.getInteger("perTopic", 1000);
    private static final int LOOKUPS = Integer.getInteger("lookups", 1000);
    private static final int PER_GROUP = 100;

    private RetainedLookupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("retained-bench");
        IndexOptions options = IndexOptions.builder().derivedFamilies(CommitLogApplier.indexFamilies(Set.of())).build();
        try {
            try (LightQueueIndex index = LightQueueIndex.open(dir, options)) {
                fill(index);
            }
            try (LightQueueIndex index = LightQueueIndex.open(dir, options)) {
                lookups(new RetainedLookup(index));
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void fill(LightQueueIndex index) {
        long start = System.nanoTime();
        MessageExt message = new MessageExt();
        message.setBody(new byte[64]);
        message.putUserProperty("mqttRetain", "true");
        message.putUserProperty("mqttQos", "1");
        long written = 0;
        IndexBatch batch = index.newBatch();
        for (int topic = 0; topic < TOPICS; topic++) {
            for (int i = 0; i < PER_TOPIC; i++) {
                String name = "t" + topic + "/g" + i / PER_GROUP + "/d" + i % PER_GROUP;
                message.setCommitLogOffset(written);
                message.setStoreTimestamp(System.currentTimeMillis());
                batch.put(StateLayout.RETAINED, StateLayout.utf8(name), RetainedCodec.encode(message));
                if (++written % 20_000 == 0) {
                    index.write(batch);
                    batch = index.newBatch();
                }
            }
        }
        index.write(batch);
        index.flush();
        index.compact();
        System.out.printf("filled %,d retained messages in %.1f s%n", written, (System.nanoTime() - start) / 1e9);
    }

    private static void lookups(RetainedLookup lookup) {
        Random random = new Random(1);
        long[] micros = new long[LOOKUPS];
        int groups = PER_TOPIC / PER_GROUP;
        for (int i = 0; i < LOOKUPS; i++) {
            String filter = "t" + random.nextInt(TOPICS) + "/g" + random.nextInt(groups) + "/+";
            long start = System.nanoTime();
            int found = lookup.matching(filter).size();
            micros[i] = (System.nanoTime() - start) / 1000;
            if (found != PER_GROUP) {
                throw new IllegalStateException(filter + " matched " + found);
            }
        }
        System.out.printf("first lookup (cold block cache): %.2f ms%n", micros[0] / 1000.0);
        Arrays.sort(micros);
        System.out.printf("%d lookups of 100 matches: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", LOOKUPS,
            micros[LOOKUPS / 2] / 1000.0, micros[LOOKUPS * 99 / 100] / 1000.0, micros[LOOKUPS - 1] / 1000.0);
    }
}
