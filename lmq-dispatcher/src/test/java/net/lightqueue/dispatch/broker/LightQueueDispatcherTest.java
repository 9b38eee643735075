package net.lightqueue.dispatch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.lightqueue.dispatch.DispatchLag;
import net.lightqueue.dispatch.PublicationTopic;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.dispatch.engine.CommitLogLag;
import net.lightqueue.dispatch.topic.Topics;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.common.sysflag.MessageSysFlag;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightQueueDispatcherTest {

    private static final String[] LEVELS = {"a", "b", "c", "d"};

    @TempDir
    Path storeRoot;

    /** The reference model: the live filters (with counts) and each queue's commitlog offsets. */
    private final Map<String, Integer> liveFilters = new TreeMap<>();
    private final Map<String, List<Long>> expectedQueues = new TreeMap<>();
    private final Set<String> subscribedPairs = new TreeSet<>();

    @Test
    void theIndexMatchesAReferenceModelAndSurvivesRestartsAndRebuilds() throws Exception {
        Random random = new Random(7);
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            for (int step = 0; step < 600; step++) {
                int action = random.nextInt(10);
                String subscriber = "client-" + random.nextInt(6);
                if (action == 0) {
                    subscribe(broker, subscriber, randomFilter(random));
                } else if (action == 1 && !subscribedPairs.isEmpty()) {
                    String pair = new ArrayList<>(subscribedPairs).get(random.nextInt(subscribedPairs.size()));
                    String[] parts = pair.split("\u0000");
                    unsubscribe(broker, parts[0], parts[1]);
                } else {
                    publish(broker, randomTopic(random));
                }
            }
            broker.awaitIndexed();
            assertEquals(expectedQueues, broker.snapshot(expectedQueues.keySet()));
            assertEquals(liveFilters.size(), broker.queues().filterCount());
        }

        // A clean restart keeps the derived state and goes on from it.
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            assertEquals(expectedQueues, broker.snapshot(expectedQueues.keySet()));
            publish(broker, "a/b");
            publish(broker, "$SYS/a");
            broker.awaitIndexed();
            assertEquals(expectedQueues, broker.snapshot(expectedQueues.keySet()));
        }

        // A broker that crashed re-dispatches the whole last file: applying it again changes nothing.
        Files.createFile(storeRoot.resolve("abort"));
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertEquals(expectedQueues, broker.snapshot(expectedQueues.keySet()));
        }

        // Without its directory the index is rebuilt from the commitlog, to the same state.
        BrokerFixture.deleteIndex(storeRoot);
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertEquals(expectedQueues, broker.snapshot(expectedQueues.keySet()));
            assertEquals(liveFilters.size(), broker.queues().filterCount());
        }
    }

    /**
     * The index cannot roll back with a cut commitlog while the broker runs: the cut is reported,
     * once, and the next start rebuilds the index from the commitlog as it is now.
     */
    /**
     * What HA does to a master that was cut off from its group and rejoins as a slave: the
     * commitlog is truncated below the index checkpoint while the broker runs, and new messages
     * take the offsets of the lost ones. The index is rebuilt at once: the lost message and the
     * subscription whose event was lost are gone, the new messages are indexed, and nothing
     * points at a message it was not built from.
     */
    @Test
    void aCommitlogCutBelowTheIndexCheckpointRebuildsTheIndexWhileTheBrokerRuns() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot); LoggedWarnings warnings = LoggedWarnings.attach()) {
            broker.queues().subscribe("c", "cut/#", null).get(10, TimeUnit.SECONDS);
            broker.publish("cut", "cut/a", "one");
            long second = broker.publish("cut", "cut/a", "two");
            broker.queues().subscribe("late", "cut/+", null).get(10, TimeUnit.SECONDS);
            broker.publish("cut", "cut/a", "three");
            broker.awaitIndexed();
            assertEquals(List.of("one", "two", "three"), bodies(broker.readAll("cut/#")));
            assertEquals(List.of("three"), bodies(broker.readAll("cut/+")));
            assertEquals(List.of(), warnings.messages());

            broker.truncateCommitLog(second);
            broker.publish("cut", "cut/a", "two again, at the same offset");
            broker.publish("cut", "cut/a", "and more");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (warnings.messages().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10); // the old checkpoint covers the new end: awaitIndexed alone would not wait
            }
            broker.awaitIndexed();

            assertEquals(List.of("one", "two again, at the same offset", "and more"), bodies(broker.readAll("cut/#")),
                "the index rebuilt from the commitlog as it is after the cut, with no restart");
            assertEquals(0, broker.queues().maxOffset("cut/+"), "the subscription's event was cut: no queue");
            assertEquals(1, broker.queues().filterCount());
            List<String> logged = warnings.messages();
            assertEquals(2, logged.size(), logged.toString());
            assertTrue(logged.get(0).startsWith("WARN commitlog truncated below the light-queue index: the broker"
                + " dispatches offset " + second + " again"), logged.get(0));
            assertTrue(logged.get(1).startsWith("WARN light-queue index rebuilt from the commitlog"), logged.get(1));
        }
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertEquals(List.of("one", "two again, at the same offset", "and more"), bodies(broker.readAll("cut/#")),
                "and the rebuilt index is the one a restart finds");
        }
    }

    /**
     * A power loss with ASYNC_FLUSH: the index (flushed on its own schedule) covers messages the
     * commitlog lost. Simulated on a stopped broker by zeroing the commitlog from the second
     * message on, which the broker's recovery reads as the commitlog's end.
     */
    @Test
    void anIndexAheadOfTheCommitlogAtStartIsRebuiltBeforeItServes() throws Exception {
        long second;
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("c", "power/#", null).get(10, TimeUnit.SECONDS);
            broker.publish("power", "power/a", "one");
            second = broker.publish("power", "power/a", "two");
            broker.publish("power", "power/a", "three");
            broker.awaitIndexed();
        }
        BrokerFixture.zeroCommitLogFrom(storeRoot, second);
        try (LoggedWarnings warnings = LoggedWarnings.attach(); BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            assertEquals(List.of("one"), bodies(broker.readAll("power/#")), "nothing the commitlog lost is served");
            assertTrue(warnings.messages().stream().anyMatch(line -> line.startsWith(
                "WARN commitlog truncated below the light-queue index: at start the commitlog ends at offset " + second)),
                warnings.messages().toString());
            broker.publish("power", "power/a", "two, written after the restart");
            broker.awaitIndexed();
            assertEquals(List.of("one", "two, written after the restart"), bodies(broker.readAll("power/#")));
        }
    }

    @Test
    void aSubscriptionTakesEffectExactlyAtItsEventPosition() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("early", "t/#", null).get(10, TimeUnit.SECONDS);
            Map<Long, Boolean> puts = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                while (running.get()) {
                    puts.put(broker.publish("t", "t/x", "m"), true);
                }
            });
            producer.start();
            Thread.sleep(100);
            Subscription subscription = broker.queues().subscribe("late", "t/+", new byte[] {1}).get(10, TimeUnit.SECONDS);
            Thread.sleep(100);
            running.set(false);
            producer.join();
            broker.awaitIndexed();

            long after = puts.keySet().stream().filter(offset -> offset > subscription.commitLogOffset()).count();
            List<StoredMessage> queue = broker.readAll("t/+");
            assertTrue(after > 0 && puts.size() > after, "the subscription must land amid the puts");
            assertEquals(0, subscription.startOffset());
            assertEquals(after, queue.size());
            assertTrue(queue.stream().allMatch(m -> m.commitLogOffset() > subscription.commitLogOffset()));
            // The earlier subscriber's queue shows where in it the new subscription took effect.
            List<StoredMessage> early = broker.readAll("t/#");
            assertEquals(puts.size(), early.size());
        }
    }

    @Test
    void aResubscriptionStartsAtTheQueueEndAndSubscriptionsAreCountedPerPair() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            assertEquals(0, broker.queues().subscribe("c1", "x/#", null).get(10, TimeUnit.SECONDS).startOffset());
            broker.publish("x", "x/1", "one");
            broker.publish("x", "x/2", "two");
            Subscription again = broker.queues().subscribe("c1", "x/#", null).get(10, TimeUnit.SECONDS);
            assertEquals(2, again.startOffset());
            broker.queues().subscribe("c2", "x/#", null).get(10, TimeUnit.SECONDS);
            broker.queues().unsubscribe("c1", "x/#").get(10, TimeUnit.SECONDS);
            assertEquals(1, broker.queues().filterCount(), "c2 still holds the filter");
            broker.publish("x", "x/3", "three");
            broker.queues().unsubscribe("c2", "x/#").get(10, TimeUnit.SECONDS);
            assertEquals(0, broker.queues().filterCount());
            broker.publish("x", "x/4", "four");
            broker.awaitIndexed();
            assertEquals(List.of("one", "two", "three"), bodies(broker.readAll("x/#")));
        }
    }

    @Test
    void nativeMessagesReachFiltersUnderTheirTopicName() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            for (String filter : List.of("home", "home/#", "+", "#", "home/+")) {
                broker.queues().subscribe("c", filter, null).get(10, TimeUnit.SECONDS);
            }
            long offset = broker.put(BrokerFixture.message("home", "native"));
            broker.awaitIndexed();
            for (String filter : List.of("home", "home/#", "+", "#")) {
                List<StoredMessage> queue = broker.readAll(filter);
                assertEquals(1, queue.size(), filter);
                StoredMessage message = queue.get(0);
                assertEquals("home", message.mqttTopic());
                assertEquals("native", new String(message.body(), StandardCharsets.UTF_8));
                assertEquals(offset, message.commitLogOffset());
                assertEquals(0, message.queueOffset());
            }
            assertEquals(0, broker.queues().maxOffset("home/+"));
        }
    }

    /** The lag the metrics report: the commitlog bytes after the index's checkpoint, and the age of the first of them. */
    @Test
    void theLagIsTheCommitlogAfterTheCheckpointAndTheAgeOfItsFirstMessage() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("c", "lag/#", null).get(10, TimeUnit.SECONDS);
            long first = broker.publish("lag", "lag/a", "one");
            broker.publish("lag", "lag/b", "two");
            broker.awaitIndexed();
            assertEquals(DispatchLag.NONE, broker.queues().lag(System.currentTimeMillis()), "caught up");
            assertEquals(1, broker.queues().lightQueueCount());

            DefaultMessageStore store = broker.plugin.context.defaultMessageStore();
            long stored = store.lookMessageByOffset(first).getStoreTimestamp();
            DispatchLag behind = CommitLogLag.of(store, first, stored + 1_500);
            assertEquals(store.getMaxPhyOffset() - first, behind.bytes());
            assertEquals(1_500, behind.millis());
        }
    }

    @Test
    void skipsTransactionHalvesRetryAndSystemTopics() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("c", "#", null).get(10, TimeUnit.SECONDS);
            MessageExtBrokerInner prepared = BrokerFixture.message("orders", "prepared");
            prepared.setSysFlag(MessageSysFlag.TRANSACTION_PREPARED_TYPE);
            MessageAccessor.putProperty(prepared, MessageConst.PROPERTY_TRANSACTION_PREPARED, "true");
            broker.put(prepared);
            MessageExtBrokerInner committed = BrokerFixture.message("orders", "committed");
            committed.setSysFlag(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
            broker.put(committed);
            broker.put(BrokerFixture.message("%RETRY%group", "retry"));
            broker.put(BrokerFixture.message("%DLQ%group", "dead"));
            broker.put(BrokerFixture.message("rmq_sys_other", "system"));
            broker.publish("orders", "orders/1", "mqtt");
            broker.awaitIndexed();
            assertEquals(List.of("committed", "mqtt"), bodies(broker.readAll("#")));
        }
    }

    @Test
    void signalsArrivalsAfterTheEntriesAreReadable() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("c", "s/+", null).get(10, TimeUnit.SECONDS);
            Map<String, Long> readableAtSignal = new ConcurrentHashMap<>();
            broker.queues().addArrivalListener((filter, end) ->
                readableAtSignal.merge(filter, end == broker.queues().read(filter, end - 1, 1).nextOffset() ? end : -end,
                    Math::max));
            for (int i = 0; i < 50; i++) {
                broker.publish("s", "s/" + i, "m" + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (readableAtSignal.getOrDefault("s/+", 0L) < 50 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(50L, readableAtSignal.get("s/+"));
        }
    }

    @Test
    void rejectsInvalidFiltersWithAReason() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            var failed = broker.queues().subscribe("c", "a/#/b", null);
            assertTrue(failed.isCompletedExceptionally());
            String reason = failed.handle((ok, error) -> error.getMessage()).get();
            assertTrue(reason.contains("'#' must be the last level"), reason);
        }
    }

    private void subscribe(BrokerFixture broker, String subscriber, String filter) throws Exception {
        broker.queues().subscribe(subscriber, filter, new byte[0]).get(10, TimeUnit.SECONDS);
        if (subscribedPairs.add(subscriber + "\u0000" + filter)) {
            liveFilters.merge(filter, 1, Integer::sum);
        }
        expectedQueues.putIfAbsent(filter, new ArrayList<>());
    }

    private void unsubscribe(BrokerFixture broker, String subscriber, String filter) throws Exception {
        broker.queues().unsubscribe(subscriber, filter).get(10, TimeUnit.SECONDS);
        if (subscribedPairs.remove(subscriber + "\u0000" + filter)) {
            liveFilters.computeIfPresent(filter, (f, count) -> count == 1 ? null : count - 1);
        }
    }

    private void publish(BrokerFixture broker, String topic) {
        String rocketmqTopic = topic.startsWith("$") ? PublicationTopic.NAME : Topics.firstLevel(topic);
        long offset = broker.publish(rocketmqTopic, topic, "body of " + topic);
        liveFilters.keySet().stream().filter(filter -> Topics.matches(filter, topic))
            .forEach(filter -> expectedQueues.get(filter).add(offset));
    }

    private static String randomTopic(Random random) {
        int levels = 1 + random.nextInt(3);
        StringBuilder topic = new StringBuilder(random.nextInt(8) == 0 ? "$SYS" : LEVELS[random.nextInt(LEVELS.length)]);
        for (int i = 1; i < levels; i++) {
            topic.append('/').append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return topic.toString();
    }

    private static String randomFilter(Random random) {
        String topic = randomTopic(random);
        String[] levels = Topics.levels(topic);
        int wildcard = random.nextInt(levels.length + 2);
        if (wildcard < levels.length) {
            levels[wildcard] = "+";
        } else if (wildcard == levels.length) {
            return String.join("/", levels) + "/#";
        }
        return String.join("/", levels);
    }

    private static List<String> bodies(List<StoredMessage> messages) {
        return messages.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
    }
}
