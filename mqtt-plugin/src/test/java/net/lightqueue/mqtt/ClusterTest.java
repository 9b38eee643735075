package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.publish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.testing.InProcessBroker.Placement;
import net.lightqueue.host.testing.InProcessNameServer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two broker groups of one cluster behave as one MQTT broker: publishes reach subscribers on
 * the other broker, in order, once; a session follows its client to the other broker with its
 * backlog from both; a connection on one broker takes the client id over from the other.
 */
class ClusterTest {

    private static final Duration PEERS_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static InProcessNameServer nameServer;
    private static MqttBroker brokerA;
    private static MqttBroker brokerB;

    @BeforeAll
    static void startCluster() throws Exception {
        nameServer = InProcessNameServer.start(dir.resolve("namesrv"));
        brokerA = MqttBroker.start(dir.resolve("a"), Placement.member(nameServer.address(), "mqtt-cluster", "broker-a"));
        brokerB = MqttBroker.start(dir.resolve("b"), Placement.member(nameServer.address(), "mqtt-cluster", "broker-b"));
        awaitPeers(brokerA, "broker-b");
        awaitPeers(brokerB, "broker-a");
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[] {brokerB, brokerA, nameServer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // the next one still stops
            }
        }
    }

    private static void awaitPeers(MqttBroker broker, String peer) throws InterruptedException {
        long deadline = System.nanoTime() + PEERS_TIMEOUT.toNanos();
        while (broker.broker().host().peers().peers().stream().map(Peer::brokerName).noneMatch(peer::equals)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(peer + " never became a peer of " + broker.broker().host().peers().selfName());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void publishesReachSubscribersOnTheOtherBrokerInOrderOnce() throws Exception {
        try (RawClient onA = new RawClient(brokerA.port());
             RawClient onB = new RawClient(brokerB.port());
             RawClient publisherA = new RawClient(brokerA.port());
             RawClient publisherB = new RawClient(brokerB.port())) {
            connect(onA, RawClient.connect(MqttVersion.MQTT_3_1_1, "sub-on-a", true, 60));
            connect(onB, connectV5("sub-on-b", true, 0));
            subscribe(onA, "both/from-b/#", 1);
            subscribe(onB, "both/from-a/+", 1);
            connect(publisherA, RawClient.connect(MqttVersion.MQTT_3_1_1, "pub-on-a", true, 60));
            connect(publisherB, RawClient.connect(MqttVersion.MQTT_3_1_1, "pub-on-b", true, 60));
            for (int i = 1; i <= 20; i++) {
                publish(publisherB, "both/from-b/x", "b" + i, i);
                publish(publisherA, "both/from-a/y", "a" + i, i);
            }
            assertEquals(sequence("b", 20), receive(onA, 20), "what broker-b stored, in order, once");
            assertEquals(sequence("a", 20), receive(onB, 20), "what broker-a stored, in order, once");
            publish(publisherB, "both/from-b/x", "last", 21);
            assertEquals(List.of("last"), receive(onA, 1), "nothing more came before it");
        }
    }

    @Test
    void aGroupThatJoinsLaterIsReadByTheSessionsConnectedMeanwhile() throws Exception {
        try (RawClient subscriber = new RawClient(brokerA.port())) {
            connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "early-sub", true, 60));
            subscribe(subscriber, "late/#", 1);
            try (MqttBroker brokerC = MqttBroker.start(dir.resolve("c"),
                     Placement.member(nameServer.address(), "mqtt-cluster", "broker-c"))) {
                awaitPeers(brokerA, "broker-c");
                awaitPeers(brokerC, "broker-a");
                long deadline = System.nanoTime() + PEERS_TIMEOUT.toNanos();
                while (brokerC.queues().subscriptionsOf("early-sub").isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "broker-a sends its sessions' subscriptions to a group that joins");
                    Thread.sleep(50);
                }
                // Connected only now: a connection that sends no CONNECT within mqttConnectTimeoutSeconds is closed.
                try (RawClient publisherC = new RawClient(brokerC.port())) {
                    connect(publisherC, RawClient.connect(MqttVersion.MQTT_3_1_1, "late-pub-c", true, 60));
                    publish(publisherC, "late/x", "from c", 1);
                    assertEquals(List.of("from c"), receive(subscriber, 1),
                        "broker-a's connected session reads broker-c's queue");
                }
            }
        }
    }

    @Test
    void aRepeatedSubscribeReplacesTheOptionsForEveryBrokersMessages_MQTT_3_8_4_3() throws Exception {
        try (RawClient subscriber = new RawClient(brokerA.port());
             RawClient publisherB = new RawClient(brokerB.port())) {
            connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "resubscriber", true, 60));
            subscribe(subscriber, "opts/#", 0);
            subscribe(subscriber, "opts/#", 1);
            connect(publisherB, RawClient.connect(MqttVersion.MQTT_3_1_1, "opts-pub-b", true, 60));
            publish(publisherB, "opts/x", "at qos 1", 1);
            MqttPublishMessage message = nextPublish(subscriber);
            assertEquals("at qos 1", text(message));
            assertEquals(1, message.fixedHeader().qosLevel().value(), "the options of the second SUBSCRIBE");
        }
    }

    @Test
    void aPersistentSessionMovesToTheOtherBrokerWithItsBacklogFromBoth_MQTT_3_2_2_2() throws Exception {
        try (RawClient publisherA = new RawClient(brokerA.port());
             RawClient publisherB = new RawClient(brokerB.port())) {
            try (RawClient mover = new RawClient(brokerA.port())) {
                assertFalse(connect(mover, connectV5("mover", false, 600)));
                subscribe(mover, "move/#", 1);
                mover.send(SessionClients.disconnect(0));
                mover.awaitClose();
            }
            connect(publisherA, RawClient.connect(MqttVersion.MQTT_3_1_1, "move-pub-a", true, 60));
            connect(publisherB, RawClient.connect(MqttVersion.MQTT_3_1_1, "move-pub-b", true, 60));
            for (int i = 1; i <= 5; i++) {
                publish(publisherA, "move/a", "a" + i, i);
                publish(publisherB, "move/b", "b" + i, i);
            }
            try (RawClient mover = new RawClient(brokerB.port())) {
                assertTrue(connect(mover, connectV5("mover", false, 600)), "session present on the other broker");
                List<String> received = receive(mover, 10);
                assertEquals(sequence("a", 5), only(received, "a"), "broker-a's backlog, in order");
                assertEquals(sequence("b", 5), only(received, "b"), "broker-b's backlog, in order");
                publish(publisherA, "move/a", "after", 6);
                assertEquals(List.of("after"), receive(mover, 1), "its subscription lives on");
            }
        }
    }

    @Test
    void aConnectionOnOneBrokerTakesTheClientIdOverFromTheOther_MQTT_3_1_4_3() throws Exception {
        try (RawClient first = new RawClient(brokerA.port());
             RawClient second = new RawClient(brokerB.port())) {
            connect(first, connectV5("twice", true, 0));
            connect(second, connectV5("twice", true, 0));
            MqttMessage disconnect = first.read();
            assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
            assertEquals(0x8E, ((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode() & 0xFF,
                "session taken over");
        }
    }

    @Test
    void aSubscriberGetsTheNewestRetainedMessageOfEachTopicWhereverItWasPublished_MQTT_3_3_1_9() throws Exception {
        try (RawClient publisherA = new RawClient(brokerA.port());
             RawClient publisherB = new RawClient(brokerB.port());
             RawClient subscriber = new RawClient(brokerA.port())) {
            connect(publisherA, RawClient.connect(MqttVersion.MQTT_3_1_1, "retain-pub-a", true, 60));
            connect(publisherB, RawClient.connect(MqttVersion.MQTT_3_1_1, "retain-pub-b", true, 60));
            // Published one after the other: a tie of store timestamps goes to broker-b, the later one.
            retain(publisherA, "ret/one", "old on a", 1);
            retain(publisherB, "ret/one", "new on b", 2);
            retain(publisherA, "ret/two", "on a, cleared on b", 3);
            retain(publisherB, "ret/two", "", 4);
            retain(publisherB, "ret/three", "only on b", 5);
            retain(publisherA, "ret/four", "only on a", 6);

            connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "retain-sub", true, 60));
            subscribe(subscriber, "ret/#", 1);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MqttPublishMessage message = nextPublish(subscriber);
                assertTrue(message.fixedHeader().isRetain(), "sent as retained [MQTT-3.3.1-9]");
                received.add(message.variableHeader().topicName() + "=" + text(message));
                SessionClients.ack(subscriber, MqttMessageType.PUBACK, message.variableHeader().packetId());
            }
            assertEquals(List.of("ret/four=only on a", "ret/one=new on b", "ret/three=only on b"), received,
                "the newest of each topic, a clearing hiding an older message elsewhere, in topic order");
            publish(publisherB, "ret/live", "live", 7);
            assertEquals(List.of("live"), receive(subscriber, 1), "no other retained message came");
        }
    }

    /**
     * More retained topics than one page of each group: the pages of both brokers merge into one
     * sequence in topic order, each topic once, at its newest version.
     */
    @Test
    void aLookupOverSeveralPagesOfEachBrokerGivesEachTopicOnceAtItsNewest() throws Exception {
        int topics = 2_400;
        try (RawClient publisherA = new RawClient(brokerA.port());
             RawClient publisherB = new RawClient(brokerB.port());
             RawClient subscriber = new RawClient(brokerA.port())) {
            connect(publisherA, RawClient.connect(MqttVersion.MQTT_3_1_1, "paged-pub-a", true, 60));
            connect(publisherB, RawClient.connect(MqttVersion.MQTT_3_1_1, "paged-pub-b", true, 60));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < topics; i++) {
                String topic = String.format("paged/%04d", i);
                retainAtMostOnce(i % 2 == 0 ? publisherA : publisherB, topic, "v" + i);
                expected.add(topic + "=" + (i % 100 == 0 ? "newer on b" : "v" + i));
            }
            retain(publisherA, "paged/done-a", "a", 1); // after the others of its connection
            for (int i = 0; i < topics; i += 100) {
                retainAtMostOnce(publisherB, String.format("paged/%04d", i), "newer on b");
            }
            retain(publisherB, "paged/done-b", "b", 1);
            expected.addAll(List.of("paged/done-a=a", "paged/done-b=b"));

            connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "paged-sub", true, 60));
            subscribe(subscriber, "paged/+", 0);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                MqttPublishMessage message = nextPublish(subscriber);
                received.add(message.variableHeader().topicName() + "=" + text(message));
            }
            assertEquals(expected, received);
            publish(publisherB, "paged/live", "live", 2);
            assertEquals(List.of("live"), receive(subscriber, 1), "no other retained message came");
        }
    }

    @Test
    void eachMessageOfASharedSubscriptionGoesToOneMemberWhereverItWasPublished_MQTT_4_8_2() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient memberA = sharedMember(brokerA, "share-on-a", received);
        MqttClient memberB = sharedMember(brokerB, "share-on-b", received);
        try (RawClient publisherA = new RawClient(brokerA.port());
             RawClient publisherB = new RawClient(brokerB.port())) {
            connect(publisherA, RawClient.connect(MqttVersion.MQTT_3_1_1, "share-pub-a", true, 60));
            connect(publisherB, RawClient.connect(MqttVersion.MQTT_3_1_1, "share-pub-b", true, 60));
            for (int i = 1; i <= 40; i++) {
                publish(publisherA, "sh/a", "a" + i, i);
                publish(publisherB, "sh/b", "b" + i, i);
            }
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                String next = received.poll(PEERS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(next != null, "only " + all.size() + " of 80 messages arrived: " + all);
                all.add(next);
            }
            List<String> texts = all.stream().map(entry -> entry.substring(entry.indexOf('=') + 1)).toList();
            List<String> expected = new ArrayList<>(sequence("a", 40));
            expected.addAll(sequence("b", 40));
            assertEquals(Set.copyOf(expected), Set.copyOf(texts), "every message of both brokers, each once in total");
            // Each group spreads its own messages over both members, not only over those connected to it.
            assertTrue(all.stream().anyMatch(entry -> entry.startsWith("share-on-a=b")), "the member on a got some of b's");
            assertTrue(all.stream().anyMatch(entry -> entry.startsWith("share-on-b=a")), "the member on b got some of a's");
        } finally {
            memberA.disconnect();
            memberB.disconnect();
        }
    }

    /** A Paho v5 member of {@code $share/g/sh/#} at QoS 1; what it receives goes to the queue as {@code clientId=text}. */
    private static MqttClient sharedMember(MqttBroker broker, String clientId, BlockingQueue<String> received)
        throws Exception {
        MqttClient client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
        client.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                received.add(clientId + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        });
        client.connect();
        client.subscribe("$share/g/sh/#", 1);
        return client;
    }

    private static void retain(RawClient publisher, String topic, String payload, int packetId) throws Exception {
        publisher.send(new MqttPublishMessage(
            new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, true, 0),
            new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
            Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))));
        Packets.assertReply(publisher.read(), MqttMessageType.PUBACK, packetId, 0);
    }

    private static void retainAtMostOnce(RawClient publisher, String topic, String payload) throws Exception {
        publisher.send(new MqttPublishMessage(
            new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, true, 0),
            new MqttPublishVariableHeader(topic, -1, MqttProperties.NO_PROPERTIES),
            Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))));
    }

    private static List<String> receive(RawClient client, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MqttPublishMessage message = nextPublish(client);
            texts.add(text(message));
            if (message.fixedHeader().qosLevel().value() > 0) {
                SessionClients.ack(client, MqttMessageType.PUBACK, message.variableHeader().packetId());
            }
        }
        return texts;
    }

    private static List<String> sequence(String prefix, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            texts.add(prefix + i);
        }
        return texts;
    }

    private static List<String> only(List<String> texts, String prefix) {
        return texts.stream().filter(text -> text.startsWith(prefix) && !Set.of("after").contains(text)).toList();
    }
}
