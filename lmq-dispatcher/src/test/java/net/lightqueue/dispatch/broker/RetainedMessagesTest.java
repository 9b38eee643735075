package net.lightqueue.dispatch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.PublicationTopic;
import net.lightqueue.dispatch.RetainedPage;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedMessagesTest {

    @TempDir
    Path storeRoot;

    @Test
    void aRetainedMessageIsSetReplacedAndDeletedPerTopic() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            long first = retain(broker, "home", "home/kitchen", "21");
            retain(broker, "home", "home/hall", "19");
            broker.publish("home", "home/garage", "not retained");
            broker.awaitIndexed();
            LightQueueDispatcher queues = broker.queues();
            assertEquals(List.of("home/hall=19", "home/kitchen=21"), texts(queues.retained("home/#")));
            assertEquals(first, queues.retained("home/kitchen").get(0).commitLogOffset());
            assertEquals(2, queues.retainedCount());

            retain(broker, "home", "home/kitchen", "22");
            retain(broker, "home", "home/hall", "");
            retain(broker, "home", "home/cellar", ""); // clearing what is not there deletes no message
            broker.awaitIndexed();
            assertEquals(List.of("home/kitchen=22"), texts(queues.retained("home/+")));
            assertEquals(1, queues.retainedCount());
            assertEquals("true", queues.retained("home/kitchen").get(0).properties().get(MqttMessageProperties.RETAIN));
            assertThrows(IllegalArgumentException.class, () -> queues.retained("home/#/x"));
        }
        // Abnormal stop: the broker re-dispatches the last file; applying it again changes nothing.
        Files.createFile(storeRoot.resolve("abort"));
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertEquals(List.of("home/kitchen=22"), texts(broker.queues().retained("#")));
            assertEquals(1, broker.queues().retainedCount());
        }
    }

    @Test
    void anEmptyRetainedPublishDeletesTheRetainedMessageAndIsStillDelivered_MQTT_3_3_1_10() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("c", "home/#", null).get(10, TimeUnit.SECONDS);
            retain(broker, "home", "home/kitchen", "21");
            retain(broker, "home", "home/kitchen", "");
            broker.publish("home", "home/kitchen", "");
            broker.awaitIndexed();
            assertEquals(List.of(), broker.queues().retained("home/#"), "[MQTT-3.3.1-10]");
            assertEquals(0, broker.queues().retainedCount());
            // Subscribers get the empty one as a normal message [MQTT-3.3.1-11]; no body is ever null.
            assertEquals(List.of("home/kitchen=21", "home/kitchen=", "home/kitchen="), texts(broker.readAll("home/#")));
        }
    }

    @Test
    void aClearedTopicKeepsWhenItWasClearedUntilRetainedAgainAndARebuildKeepsTheSame() throws Exception {
        List<String> versions;
        List<String> sysVersions;
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            LightQueueDispatcher queues = broker.queues();
            queues.subscribe("c", "home/#", null).get(10, TimeUnit.SECONDS);
            queues.subscribe("c", "$SYS/#", null).get(10, TimeUnit.SECONDS);
            long kitchen = retain(broker, "home", "home/kitchen", "21");
            retain(broker, "home", "home/hall", "19");
            long hallCleared = retain(broker, "home", "home/hall", "");
            long cellarCleared = retain(broker, "home", "home/cellar", ""); // never retained: cleared all the same
            retain(broker, "home", "home/garage", "5");
            retain(broker, "home", "home/garage", "");
            long garage = retain(broker, "home", "home/garage", "6");
            long loadCleared = retain(broker, PublicationTopic.NAME, "$SYS/broker/load", "");
            broker.awaitIndexed();
            Map<Long, Long> stored = storeTimestamps(broker, "home/#", "$SYS/#");

            List<String> home = List.of(
                "home/cellar cleared at " + stored.get(cellarCleared),
                "home/garage=6 at " + stored.get(garage),
                "home/hall cleared at " + stored.get(hallCleared),
                "home/kitchen=21 at " + stored.get(kitchen));
            assertEquals(home, describe(queues.retainedVersions("home/#")));
            assertEquals(home, describe(queues.retainedVersions("home/+")));
            assertEquals(List.of("home/hall cleared at " + stored.get(hallCleared)),
                describe(queues.retainedVersions("home/hall")));
            assertEquals(List.of("home/hall cleared at " + stored.get(hallCleared)),
                describe(queues.retainedVersions("+/hall")));
            // Clearings are versions only: the retained messages and their count are as without them.
            assertEquals(List.of("home/garage=6", "home/kitchen=21"), texts(queues.retained("home/#")));
            assertEquals(List.of(), queues.retained("home/hall"));
            assertEquals(2, queues.retainedCount());
            // A first-level wildcard never reaches a $ topic, cleared or not [MQTT-4.7.2-1].
            assertEquals(home, describe(queues.retainedVersions("#")));
            assertEquals(List.of("$SYS/broker/load cleared at " + stored.get(loadCleared)),
                describe(queues.retainedVersions("$SYS/#")));
            assertThrows(IllegalArgumentException.class, () -> queues.retainedVersions("home/#/x"));

            // Retained again, the topic's message replaces its clearing.
            long hall = retain(broker, "home", "home/hall", "20");
            broker.awaitIndexed();
            assertEquals(List.of("home/hall=20 at " + storeTimestamps(broker, "home/#").get(hall)),
                describe(queues.retainedVersions("home/hall")));
            assertEquals(3, queues.retainedCount());
            versions = describe(queues.retainedVersions("#"));
            sysVersions = describe(queues.retainedVersions("$SYS/+/+"));
        }
        // The same commitlog gives the same versions (as on a slave): rebuild the index from it.
        BrokerFixture.deleteIndex(storeRoot);
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertEquals(versions, describe(broker.queues().retainedVersions("#")));
            assertEquals(sysVersions, describe(broker.queues().retainedVersions("$SYS/+/+")));
            assertEquals(3, broker.queues().retainedCount());
        }
    }

    @Test
    void aLookupReadInPagesGivesEachVersionOnceInOrderWhateverThePageSize() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            retain(broker, "a", "a", "parent");
            for (int i = 0; i < 12; i++) {
                retain(broker, "a", "a/" + i, "x".repeat(i * 100));
            }
            retain(broker, "a", "a/5", "");
            retain(broker, "b", "b/x", "b");
            retain(broker, "b", "b", "b");
            broker.awaitIndexed();
            LightQueueDispatcher queues = broker.queues();
            for (String filter : List.of("a/#", "#", "+/x", "a/+", "a/3", "a", "+", "c/#")) {
                List<String> whole = describe(queues.retainedVersions(filter));
                for (int size : List.of(1, 2, 5, 100)) {
                    assertEquals(whole, describe(pages(queues, filter, size, Long.MAX_VALUE)), filter + " by " + size);
                }
                assertEquals(whole, describe(pages(queues, filter, 100, 1)), filter + " by one byte");
                assertEquals(whole, describe(pages(queues, filter, 100, 500)), filter + " by 500 bytes");
            }
            RetainedPage first = queues.retainedPage("a/#", null, 2, Long.MAX_VALUE);
            assertEquals(List.of("a", "a/0"), first.versions().stream().map(RetainedVersion::topic).toList());
            assertEquals("a/0", first.next());
            assertThrows(IllegalArgumentException.class, () -> queues.retainedPage("a/#/x", null, 1, 1));
        }
    }

    /** Every page of a lookup, each asked after where the previous one ended. */
    private static List<RetainedVersion> pages(LightQueueDispatcher queues, String filter, int maxVersions, long maxBytes) {
        List<RetainedVersion> all = new ArrayList<>();
        RetainedPage page = queues.retainedPage(filter, null, maxVersions, maxBytes);
        all.addAll(page.versions());
        while (!page.last()) {
            assertTrue(page.versions().size() <= maxVersions);
            page = queues.retainedPage(filter, page.next(), maxVersions, maxBytes);
            all.addAll(page.versions());
        }
        return all;
    }

    @Test
    void aRocketmqProducerRetainsWithTheProperty() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            MessageExtBrokerInner message = BrokerFixture.message("sensors", "native");
            message.putUserProperty(MqttMessageProperties.RETAIN, "true");
            broker.put(message);
            broker.awaitIndexed();
            assertEquals(List.of("sensors=native"), texts(broker.queues().retained("+")));
        }
    }

    @Test
    void publicationTopicMessagesAreDispatchedUnderTheirMqttTopicButNotToFirstLevelWildcards() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            for (String filter : List.of("#", "+/broker/uptime", "$SYS/#")) {
                broker.queues().subscribe("c", filter, null).get(10, TimeUnit.SECONDS);
            }
            retain(broker, PublicationTopic.NAME, "$SYS/broker/uptime", "5");
            broker.awaitIndexed();
            assertEquals(List.of("$SYS/broker/uptime=5"), texts(broker.readAll("$SYS/#")));
            assertEquals(0, broker.queues().maxOffset("#"), "[MQTT-4.7.2-1]");
            assertEquals(0, broker.queues().maxOffset("+/broker/uptime"), "[MQTT-4.7.2-1]");
            assertEquals(List.of(), broker.queues().retained("#"));
            assertEquals(List.of("$SYS/broker/uptime=5"), texts(broker.queues().retained("$SYS/broker/+")));
        }
    }

    private static long retain(BrokerFixture broker, String rocketmqTopic, String mqttTopic, String body) {
        MessageExtBrokerInner message = BrokerFixture.message(rocketmqTopic, body);
        message.putUserProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC, mqttTopic);
        message.putUserProperty(MqttMessageProperties.RETAIN, "true");
        return broker.put(message);
    }

    /** The store timestamp of each message in the filters' queues, by commitlog offset. */
    private static Map<Long, Long> storeTimestamps(BrokerFixture broker, String... filters) {
        Map<Long, Long> stored = new HashMap<>();
        for (String filter : filters) {
            broker.readAll(filter).forEach(m -> stored.put(m.commitLogOffset(), m.storeTimestamp()));
        }
        return stored;
    }

    /** Each version as "topic=body at storeTimestamp" or "topic cleared at storeTimestamp". */
    private static List<String> describe(List<RetainedVersion> versions) {
        return versions.stream().map(v -> {
            if (v.cleared()) {
                return v.topic() + " cleared at " + v.storeTimestamp();
            }
            assertEquals(v.storeTimestamp(), v.message().storeTimestamp());
            return texts(List.of(v.message())).get(0) + " at " + v.storeTimestamp();
        }).toList();
    }

    private static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(m -> m.mqttTopic() + "=" + new String(m.body(), StandardCharsets.UTF_8)).toList();
    }
}
