package net.lightqueue.dispatch.broker;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.topic.FilterSet;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.store.MessageStore;

/**
 * The dispatcher's budgets, measured on a real in-process broker (not a test: run it by hand,
 * see docs/benchmarks.md). Filters: {@code filters} exact ones ({@code dev/<k>/t}) and
 * {@code wildcards} wildcard ones, of which two ({@code dev/+/t}, {@code dev/#}) match every
 * message, so each message matches 3 filters. Messages: 100-byte bodies to random {@code dev/<k>/t}.
 *
 * <p>System properties: {@code filters} (1000000), {@code wildcards} (10000), {@code messages}
 * (1000000), {@code rate} (50000, for the latency run), {@code seconds} (10, latency run), and any
 * {@code mqttIndex*} setting of the dispatcher.
 */
public final class DispatchBenchmark {

    private static final int FILTERS = Integer.getInteger("filters", 1_000_000);
    private static final int WILDCARDS = Integer.getInteger("wildcards", 10_000);
    private static final int MESSAGES = Integer.getInteger("messages", 1_000_000);
    private static final int RATE = Integer.getInteger("rate", 50_000);
    private static final int SECONDS = Integer.getInteger("seconds", 10);
    private static final byte[] BODY = new byte[100];

    private DispatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        filterSetHeap();
        Path root = Files.createTempDirectory("lmq-dispatch-bench");
        try {
            try (BrokerFixture broker = BrokerFixture.start(root, indexSettings())) {
                requireOnlyThisPlugin(broker);
                installFilters(broker);
                liveDispatch(broker);
                latency(broker);
            }
            rebuild(root);
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
        System.exit(0);
    }

    /** Another plugin on the classpath (e.g. plugin-api's test plugin) would distort every figure. */
    private static void requireOnlyThisPlugin(BrokerFixture broker) {
        List<String> plugins = broker.plugins();
        if (plugins.size() != 1) {
            throw new IllegalStateException("the broker runs the plugins " + plugins + ": put plugin-api's test jar "
                + "(without its service entry) on the classpath instead of its test-classes directory");
        }
    }

    private static void filterSetHeap() {
        long before = usedHeapAfterGc();
        FilterSet set = new FilterSet();
        for (int k = 0; k < FILTERS; k++) {
            set.retain(exact(k));
        }
        long exactOnly = usedHeapAfterGc();
        for (String wildcard : wildcards()) {
            set.retain(wildcard);
        }
        long all = usedHeapAfterGc();
        Random random = new Random(1);
        List<String> out = new ArrayList<>();
        int lookups = 2_000_000;
        String[] topics = new String[4096];
        Arrays.setAll(topics, i -> exact(random.nextInt(FILTERS)));
        long start = System.nanoTime();
        long matched = 0;
        for (int i = 0; i < lookups; i++) {
            out.clear();
            set.match(topics[i & 4095], out);
            matched += out.size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report("filter set heap per exact filter: %.0f bytes (%d exact filters); %d wildcard filters add %.1f MiB",
            (exactOnly - before) / (double) FILTERS, FILTERS, WILDCARDS, (all - exactOnly) / 1048576.0);
        report("matching alone: %.0f topics/s, %.2f filters matched per topic", lookups / seconds,
            matched / (double) lookups);
        if (set.size() == 0) {
            throw new AssertionError();
        }
    }

    private static void installFilters(BrokerFixture broker) throws Exception {
        long start = System.nanoTime();
        Semaphore window = new Semaphore(4096);
        List<String> filters = new ArrayList<>(FILTERS + WILDCARDS);
        for (int k = 0; k < FILTERS; k++) {
            filters.add(exact(k));
        }
        filters.addAll(wildcards());
        CompletableFuture<?> last = CompletableFuture.completedFuture(null);
        for (int i = 0; i < filters.size(); i++) {
            window.acquire();
            last = broker.queues().subscribe("s" + i, filters.get(i), null).whenComplete((s, e) -> window.release());
        }
        last.get(5, TimeUnit.MINUTES);
        window.acquire(4096);
        broker.awaitIndexed();
        double seconds = (System.nanoTime() - start) / 1e9;
        report("installed %d filters through the commitlog in %.1f s (%.0f subscribe events/s)", broker.queues().filterCount(),
            seconds, filters.size() / seconds);
    }

    /** Two producers put as fast as the store takes them; the dispatcher must keep up. */
    private static void liveDispatch(BrokerFixture broker) throws Exception {
        MessageStore store = broker.plugin.context.messageStore();
        AtomicLong maxLag = new AtomicLong();
        long start = System.nanoTime();
        Thread[] producers = new Thread[2];
        for (int p = 0; p < producers.length; p++) {
            int seed = p;
            producers[p] = new Thread(() -> produce(store, MESSAGES / producers.length, seed));
            producers[p].start();
        }
        while (Stream.of(producers).anyMatch(Thread::isAlive)) {
            maxLag.accumulateAndGet(store.getMaxPhyOffset() - broker.queues().indexedUpTo(), Math::max);
            Thread.sleep(10);
        }
        double putSeconds = (System.nanoTime() - start) / 1e9;
        broker.awaitIndexed();
        double indexedSeconds = (System.nanoTime() - start) / 1e9;
        report("live: %d messages put in %.1f s (%.0f msg/s), all indexed after %.1f s (%.0f msg/s, %.0f entries/s); "
                + "max index lag %.1f MiB of commitlog", MESSAGES, putSeconds, MESSAGES / putSeconds, indexedSeconds,
            MESSAGES / indexedSeconds, 3 * MESSAGES / indexedSeconds, maxLag.get() / 1048576.0);
    }

    private static void produce(MessageStore store, int count, int seed) {
        Random random = new Random(seed);
        Semaphore window = new Semaphore(1024);
        for (int i = 0; i < count; i++) {
            window.acquireUninterruptibly();
            store.asyncPutMessage(message(exact(random.nextInt(FILTERS)))).whenComplete((r, e) -> window.release());
        }
        window.acquireUninterruptibly(1024);
    }

    /** Put → arrival signal, at a paced rate, on one filter that sees every message. */
    private static void latency(BrokerFixture broker) throws Exception {
        broker.queues().subscribe("latency", "lat/#", null).get(10, TimeUnit.SECONDS);
        int count = RATE * SECONDS;
        AtomicLongArray putDone = new AtomicLongArray(count);
        long[] latencies = new long[count];
        AtomicLong signalled = new AtomicLong();
        broker.queues().addArrivalListener((filter, end) -> {
            if (!filter.equals("lat/#")) {
                return;
            }
            long now = System.nanoTime();
            for (long offset = signalled.get(); offset < Math.min(end, count); offset++) {
                long put = putDone.get((int) offset);
                latencies[(int) offset] = put == 0 ? 0 : Math.max(0, now - put);
            }
            signalled.accumulateAndGet(end, Math::max);
        });
        MessageStore store = broker.plugin.context.messageStore();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        for (int i = 0; i < count; i++) {
            // Paced in bursts of about a millisecond: parking costs no CPU the broker needs.
            long ahead = start + i * interval - System.nanoTime();
            if (ahead > 0) {
                LockSupport.parkNanos(ahead);
            }
            store.putMessage(message("lat/" + (i % 100) + "/x"));
            putDone.set(i, System.nanoTime());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (signalled.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        report("latency put result -> arrival signal at %.0f msg/s over %d messages: p50 %.2f ms, p99 %.2f ms, "
                + "p99.9 %.2f ms, max %.2f ms", count / seconds, count, percentile(sorted, 0.50),
            percentile(sorted, 0.99), percentile(sorted, 0.999), sorted[sorted.length - 1] / 1e6);
    }

    /** Deletes the index and restarts: everything is replayed from the commitlog. */
    private static void rebuild(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root.resolve("mqtt").resolve("index"))) {
            paths.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        }
        long start = System.nanoTime();
        try (BrokerFixture broker = BrokerFixture.start(root, indexSettings())) {
            broker.awaitIndexed();
            double seconds = (System.nanoTime() - start) / 1e9;
            report("rebuild from the commitlog (%d subscribe events + %d messages, broker start included): %.1f s",
                FILTERS + WILDCARDS + 1, MESSAGES + RATE * SECONDS, seconds);
        }
        start = System.nanoTime();
        try (BrokerFixture broker = BrokerFixture.start(root, indexSettings())) {
            broker.awaitIndexed();
            report("restart with an intact index, for comparison: %.1f s", (System.nanoTime() - start) / 1e9);
        }
    }

    /** The dispatcher's mqttIndex* settings given as system properties, as broker.conf would give them. */
    private static Properties indexSettings() {
        Properties settings = new Properties();
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("mqttIndex"))
            .forEach(key -> settings.setProperty(key, System.getProperty(key)));
        return settings;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    private static String exact(int k) {
        return "dev/" + k + "/t";
    }

    /** Two that match every dev/k/t, the rest in the same subtree but one level deeper. */
    private static List<String> wildcards() {
        List<String> wildcards = new ArrayList<>(WILDCARDS);
        wildcards.add("dev/+/t");
        wildcards.add("dev/#");
        for (int j = 0; wildcards.size() < WILDCARDS; j++) {
            wildcards.add("dev/" + j + "/+/x");
        }
        return wildcards;
    }

    private static MessageExtBrokerInner message(String mqttTopic) {
        MessageExtBrokerInner message = BrokerFixture.message(mqttTopic.substring(0, mqttTopic.indexOf('/')), "");
        message.setBody(BODY);
        message.putUserProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC, mqttTopic);
        message.setPropertiesString(MessageDecoder.messageProperties2String(message.getProperties()));
        return message;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void report(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
