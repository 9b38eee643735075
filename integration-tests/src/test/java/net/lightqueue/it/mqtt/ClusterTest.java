package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two broker groups of one cluster, each a real broker process with the release jar, serve MQTT
 * as one broker: publishes cross brokers both ways, a session follows its client to the other
 * broker with its backlog from both, a CONNECT on one broker takes the client id over from the
 * other, wills cross brokers, and one group stopped or killed while the other serves loses
 * nothing it acknowledged. The tests that stop or kill a group run last, one after the other,
 * and start it again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TAKEN_OVER = 0x8E;

    private static LocalCluster cluster;
    private static BrokerNode a;
    private static BrokerNode b;

    @BeforeAll
    static void startTwoGroups() throws Exception {
        cluster = TestBrokers.newCluster("mqtt-cluster-a", Map.of());
        a = cluster.master();
        b = TestBrokers.addGroup(cluster, "mqtt-cluster-b", Map.of());
        cluster.start();
        ClusterPeers.await(cluster, a, b, "ready");
        ClusterPeers.await(cluster, b, a, "ready");
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void qos1AndQos2PublishesCrossBrokersBothWaysInPublisherOrderOnce() throws Exception {
        Arrivals onA = new Arrivals();
        MqttClient subscriberA = MqttClients.connect(a, "both-sub-a-v5", cleanStart(), onA);
        V3Client subscriberB = V3Client.connect(b, "both-sub-b-v3");
        MqttClient publisherA5 = MqttClients.connect(a, "both-pub-a-v5", cleanStart(), null);
        V3Client publisherA3 = V3Client.connect(a, "both-pub-a-v3");
        MqttClient publisherB5 = MqttClients.connect(b, "both-pub-b-v5", cleanStart(), null);
        V3Client publisherB3 = V3Client.connect(b, "both-pub-b-v3");
        try {
            subscriberA.subscribe("both/from-b/#", 2);
            subscriberB.client.subscribe("both/from-a/#", 2);
            int count = 10;
            for (int i = 1; i <= count; i++) {
                publisherA5.publish("both/from-a/v5", message("a5-" + i, 2));
                publisherA3.publish("both/from-a/v3", "a3-" + i, 1);
                publisherB5.publish("both/from-b/v5", message("b5-" + i, 1));
                publisherB3.publish("both/from-b/v3", "b3-" + i, 2);
            }
            List<String> fromB = bodies(onA.await(2 * count, WAIT));
            assertEquals(sequence("b5-", count), only(fromB, "b5-"),
                "broker-b's QoS 1 publisher's messages on broker-a\n" + cluster.diagnostics());
            assertEquals(sequence("b3-", count), only(fromB, "b3-"), "broker-b's QoS 2 publisher's messages on broker-a");
            List<String> fromA = bodies(subscriberB.arrivals.await(2 * count, WAIT));
            assertEquals(sequence("a5-", count), only(fromA, "a5-"),
                "broker-a's QoS 2 publisher's messages on broker-b\n" + cluster.diagnostics());
            assertEquals(sequence("a3-", count), only(fromA, "a3-"), "broker-a's QoS 1 publisher's messages on broker-b");
            assertEquals(List.of(), bodies(onA.drain(Duration.ofSeconds(1))), "nothing twice on broker-a");
            assertEquals(List.of(), bodies(subscriberB.arrivals.drain(Duration.ofSeconds(1))), "nothing twice on broker-b");
        } finally {
            closeAll(subscriberA, publisherA5, publisherB5);
            closeAll(subscriberB, publisherA3, publisherB3);
        }
    }

    @Test
    @Order(2)
    void aRocketMqProducersMessagesReachMqttSubscribersOnEitherBroker() throws Exception {
        Arrivals onA = new Arrivals();
        Arrivals onB = new Arrivals();
        MqttClient subscriberA = MqttClients.connect(a, "native-sub-a", cleanStart(), onA);
        MqttClient subscriberB = MqttClients.connect(b, "native-sub-b", cleanStart(), onB);
        // Sent per group, in order: a producer spreads a topic's messages over the queues of
        // every group its route names, and each group keeps its own order.
        Map<String, List<String>> sentPerGroup = new LinkedHashMap<>();
        try {
            subscriberA.subscribe("clusternative/#", 1);
            subscriberB.subscribe("clusternative/#", 1);
            DefaultMQProducer producer = new DefaultMQProducer("cluster-native-producer");
            producer.setNamesrvAddr(cluster.namesrvAddress());
            producer.start();
            try {
                for (int i = 1; i <= 12; i++) {
                    String body = "n-" + i;
                    SendResult result = producer.send(new Message("clusternative", body.getBytes(StandardCharsets.UTF_8)));
                    assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                    sentPerGroup.computeIfAbsent(result.getMessageQueue().getBrokerName(), g -> new ArrayList<>()).add(body);
                }
            } finally {
                producer.shutdown();
            }
            System.out.println("native messages per group: " + sentPerGroup);
            for (Map.Entry<String, Arrivals> subscriber : Map.of("broker-a", onA, "broker-b", onB).entrySet()) {
                List<Arrivals.Arrival> got = subscriber.getValue().await(12, WAIT);
                assertTrue(got.stream().allMatch(arrival -> arrival.topic().equals("clusternative")), got.toString());
                List<String> received = bodies(got);
                sentPerGroup.forEach((group, sent) -> assertEquals(sent, received.stream().filter(sent::contains).toList(),
                    "what " + group + " stored, on " + subscriber.getKey() + ", in order, once\n" + cluster.diagnostics()));
                assertEquals(12, received.size(), received.toString());
                assertEquals(List.of(), bodies(subscriber.getValue().drain(Duration.ofSeconds(1))), "nothing twice");
            }
        } finally {
            closeAll(subscriberA, subscriberB);
        }
    }

    @Test
    @Order(3)
    void aPersistentSessionMovesToTheOtherBrokerAndBackWithItsBacklogFromBoth_MQTT_3_2_2_2() throws Exception {
        MqttClient mover = MqttClients.connect(a, "cluster-mover", MqttClients.persistentSession(600), new Arrivals());
        mover.subscribe("offline/#", 1);
        mover.disconnect();
        mover.close();

        MqttClient publisherA = MqttClients.connect(a, "offline-pub-a", cleanStart(), null);
        MqttClient publisherB = MqttClients.connect(b, "offline-pub-b", cleanStart(), null);
        Arrivals arrivals = new Arrivals();
        MqttClient resumed = null;
        try {
            for (int i = 1; i <= 10; i++) {
                publisherA.publish("offline/a", MqttClients.qos1("a" + i));
                publisherB.publish("offline/b", MqttClients.qos1("b" + i));
            }
            resumed = new MqttClient("tcp://127.0.0.1:" + b.mqttPort(), "cluster-mover", new MemoryPersistence());
            resumed.setCallback(arrivals);
            MqttConnectionOptions options = MqttClients.persistentSession(600);
            options.setConnectionTimeout(30);
            assertTrue(resumed.connectWithResult(options).getSessionPresent(),
                "session present on the other broker [MQTT-3.2.2-2]\n" + cluster.diagnostics());
            List<String> received = bodies(arrivals.await(20, WAIT));
            assertEquals(sequence("a", 10), only(received, "a"), "broker-a's backlog, in order, once\n" + cluster.diagnostics());
            assertEquals(sequence("b", 10), only(received, "b"), "broker-b's backlog, in order, once\n" + cluster.diagnostics());
            assertEquals(List.of(), bodies(arrivals.drain(Duration.ofSeconds(1))), "nothing twice");
            publisherA.publish("offline/a", MqttClients.qos1("after"));
            assertEquals(List.of("after"), bodies(arrivals.await(1, WAIT)), "its subscription lives on");
            resumed.disconnect();
            resumed.close();

            // ... and back to broker-a, with what came while it was offline again.
            for (int i = 1; i <= 3; i++) {
                publisherA.publish("offline/a", MqttClients.qos1("back-a" + i));
                publisherB.publish("offline/b", MqttClients.qos1("back-b" + i));
            }
            Arrivals back = new Arrivals();
            resumed = new MqttClient("tcp://127.0.0.1:" + a.mqttPort(), "cluster-mover", new MemoryPersistence());
            resumed.setCallback(back);
            assertTrue(resumed.connectWithResult(options).getSessionPresent(), "session present on broker-a again");
            List<String> again = bodies(back.await(6, WAIT));
            assertEquals(sequence("back-a", 3), only(again, "back-a"), "broker-a's backlog\n" + cluster.diagnostics());
            assertEquals(sequence("back-b", 3), only(again, "back-b"), "broker-b's backlog\n" + cluster.diagnostics());
            assertEquals(List.of(), bodies(back.drain(Duration.ofSeconds(1))), "nothing delivered before is delivered again");
        } finally {
            closeAll(publisherA, publisherB);
            if (resumed != null) {
                MqttClients.closeQuietly(resumed);
            }
        }
    }

    @Test
    @Order(4)
    void aConnectOnOneBrokerTakesTheClientIdOverFromTheOther_MQTT_3_1_4_3() throws Exception {
        Arrivals firstArrivals = new Arrivals();
        MqttClient first = MqttClients.connect(a, "takeover-v5", cleanStart(), firstArrivals);
        MqttClient second = MqttClients.connect(b, "takeover-v5", cleanStart(), null);
        try {
            MqttDisconnectResponse ended = firstArrivals.awaitDisconnect(WAIT);
            assertNotNull(ended, "the connection on broker-a was not ended\n" + cluster.diagnostics());
            assertEquals(TAKEN_OVER, ended.getReturnCode(), "DISCONNECT 0x8E session taken over: " + ended);
            assertTrue(second.isConnected());
        } finally {
            closeAll(first, second);
        }

        V3Client firstV3 = V3Client.connect(a, "takeover-v3");
        V3Client secondV3 = V3Client.connect(b, "takeover-v3");
        try {
            assertNotNull(firstV3.lost.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the v3.1.1 connection on broker-a is closed");
            assertFalse(firstV3.client.isConnected());
            assertTrue(secondV3.client.isConnected());
        } finally {
            closeAll(firstV3, secondV3);
        }
    }

    /** With Paho v3 clients: Paho v5 does not pass a received PUBLISH's DUP flag on. */
    @Test
    @Order(5)
    void aTakeoverOnTheOtherBrokerResendsUnacknowledgedMessagesWithDup_MQTT_4_4_0_1() throws Exception {
        V3Client first = V3Client.connect(a, "inflight-mover", false);
        MqttClient publisherA = MqttClients.connect(a, "inflight-pub-a", cleanStart(), null);
        MqttClient publisherB = MqttClients.connect(b, "inflight-pub-b", cleanStart(), null);
        V3Client second = null;
        try {
            first.client.setManualAcks(true);
            first.client.subscribe("inflight/#", 1);
            for (int i = 1; i <= 5; i++) {
                publisherA.publish("inflight/a", MqttClients.qos1("a" + i));
                publisherB.publish("inflight/b", MqttClients.qos1("b" + i));
            }
            List<String> delivered = bodies(first.arrivals.await(10, WAIT));
            assertEquals(sequence("a", 5), only(delivered, "a"),
                "broker-a's messages, not acknowledged\n" + cluster.diagnostics());
            assertEquals(sequence("b", 5), only(delivered, "b"),
                "broker-b's messages, not acknowledged\n" + cluster.diagnostics());

            second = V3Client.connect(b, "inflight-mover", false);
            assertTrue(second.sessionPresent, "session present after the takeover [MQTT-3.2.2-2]");
            assertNotNull(first.lost.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection on broker-a is closed");
            List<Arrivals.Arrival> resent = second.arrivals.await(10, WAIT);
            assertTrue(resent.stream().allMatch(Arrivals.Arrival::duplicate), "resent with DUP [MQTT-3.3.1-1]: " + resent);
            assertEquals(sequence("a", 5), only(bodies(resent), "a"),
                "broker-a's unacknowledged, in order\n" + cluster.diagnostics());
            assertEquals(sequence("b", 5), only(bodies(resent), "b"),
                "broker-b's unacknowledged, in order\n" + cluster.diagnostics());
            assertEquals(List.of(), second.arrivals.drain(Duration.ofSeconds(1)), "each once");
            publisherB.publish("inflight/b", MqttClients.qos1("b-after"));
            assertEquals(List.of(new Arrivals.Arrival("inflight/b", "b-after", false, false)), second.arrivals.await(1, WAIT),
                "new messages flow, as first deliveries");
        } finally {
            closeAll(publisherA, publisherB);
            closeAll(first);
            if (second != null) {
                closeAll(second);
            }
        }
    }

    @Test
    @Order(6)
    void aSubscriberGetsTheNewestRetainedMessageOfEachTopicWhicheverGroupStoredIt_MQTT_3_3_1_9() throws Exception {
        MqttClient publisherA = MqttClients.connect(a, "cret-pub-a", cleanStart(), null);
        MqttClient publisherB = MqttClients.connect(b, "cret-pub-b", cleanStart(), null);
        Arrivals onA = new Arrivals();
        MqttClient subscriber = null;
        try {
            // One after the other: a tie of store timestamps goes to broker-b, the later one, too.
            publisherA.publish("cret/one", retained("old on a"));
            publisherB.publish("cret/one", retained("new on b"));
            publisherA.publish("cret/two", retained("on a, cleared on b"));
            publisherB.publish("cret/two", retained(""));
            subscriber = MqttClients.connect(a, "cret-sub-a", cleanStart(), onA);
            subscriber.subscribe("cret/#", 1);
            assertEquals(List.of(new Arrivals.Arrival("cret/one", "new on b", false, true)), onA.await(1, WAIT),
                "the newest version of each topic; a clearing hides an older message of the other group\n"
                    + cluster.diagnostics());
            assertEquals(List.of(), onA.drain(Duration.ofSeconds(2)), "nothing else is retained under cret/#");
        } finally {
            closeAll(publisherA, publisherB);
            if (subscriber != null) {
                closeAll(subscriber);
            }
        }
    }

    @Test
    @Order(6)
    void eachMessageOfASharedSubscriptionGoesToOneMemberWhicheverGroupStoredIt_MQTT_4_8_2() throws Exception {
        Arrivals onA = new Arrivals();
        Arrivals onB = new Arrivals();
        MqttClient memberA = MqttClients.connect(a, "csh-member-a", cleanStart(), onA);
        MqttClient memberB = MqttClients.connect(b, "csh-member-b", cleanStart(), onB);
        MqttClient publisherA = MqttClients.connect(a, "csh-pub-a", cleanStart(), null);
        MqttClient publisherB = MqttClients.connect(b, "csh-pub-b", cleanStart(), null);
        try {
            memberA.subscribe("$share/g/csh/#", 1);
            memberB.subscribe("$share/g/csh/#", 1);
            int count = 20;
            for (int i = 1; i <= count; i++) {
                publisherA.publish("csh/a", message("a" + i, 1));
                publisherB.publish("csh/b", message("b" + i, 1));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> toA = new ArrayList<>();
            List<String> toB = new ArrayList<>();
            while (toA.size() + toB.size() < 2 * count && System.nanoTime() < deadline) {
                toA.addAll(bodies(onA.drain(Duration.ofMillis(200))));
                toB.addAll(bodies(onB.drain(Duration.ofMillis(200))));
            }
            toA.addAll(bodies(onA.drain(Duration.ofSeconds(1))));
            toB.addAll(bodies(onB.drain(Duration.ofSeconds(1))));
            List<String> all = new ArrayList<>(toA);
            all.addAll(toB);
            List<String> expected = new ArrayList<>(sequence("a", count));
            expected.addAll(sequence("b", count));
            assertEquals(expected.stream().sorted().toList(), all.stream().sorted().toList(),
                "every message once across the members\n" + cluster.diagnostics());
            assertTrue(toA.stream().anyMatch(body -> body.startsWith("b")), "the member on broker-a got broker-b's: " + toA);
            assertTrue(toB.stream().anyMatch(body -> body.startsWith("a")), "the member on broker-b got broker-a's: " + toB);
        } finally {
            closeAll(memberA, memberB, publisherA, publisherB);
        }
    }

    @Test
    @Order(6)
    void theWillOfAConnectionCutOffOnOneBrokerReachesASubscriberOnTheOther_MQTT_3_1_2_8() throws Exception {
        Arrivals onB = new Arrivals();
        MqttClient subscriber = MqttClients.connect(b, "will-sub-b", cleanStart(), onB);
        MqttConnectionOptions withWill = cleanStart();
        withWill.setWill("will/a", MqttClients.qos1("gone-from-a"));
        MqttClient willClient = MqttClients.connect(a, "will-client-a", withWill, null);
        try {
            subscriber.subscribe("will/#", 1);
            // The socket closes without a DISCONNECT packet.
            willClient.disconnectForcibly(0, 1000, false);
            assertEquals(List.of(new Arrivals.Arrival("will/a", "gone-from-a", false, false)), onB.await(1, WAIT),
                cluster.diagnostics());
            assertEquals(List.of(), onB.drain(Duration.ofSeconds(1)), "the will once");
        } finally {
            closeAll(subscriber, willClient);
        }
    }

    @Test
    @Order(7)
    void aGroupStoppedAndStartedAgainWhileTheOtherServes() throws Exception {
        Arrivals onA = new Arrivals();
        MqttClient subscriber = MqttClients.connect(a, "restart-sub-a", cleanStart(), onA);
        MqttClient publisherA = MqttClients.connect(a, "restart-pub-a", cleanStart(), null);
        try {
            subscriber.subscribe("restart/#", 1);
            MqttClient publisherB = MqttClients.connect(b, "restart-pub-b", cleanStart(), null);
            try {
                for (int i = 1; i <= 5; i++) {
                    publisherB.publish("restart/b", MqttClients.qos1("before-" + i));
                }
                assertEquals(sequence("before-", 5), bodies(onA.await(5, WAIT)),
                    "broker-b's messages before its stop\n" + cluster.diagnostics());
            } finally {
                MqttClients.closeQuietly(publisherB);
            }

            assertEquals(143, b.stop(), "broker-b stopped through its shutdown hook\n" + cluster.diagnostics());
            publisherA.publish("restart/a", MqttClients.qos1("while-b-is-down"));
            assertEquals(List.of("while-b-is-down"), bodies(onA.await(1, WAIT)),
                "broker-a serves while broker-b is down\n" + cluster.diagnostics());

            b.start();
            publisherB = MqttClients.connect(b, "restart-pub-b", cleanStart(), null);
            try {
                for (int i = 1; i <= 5; i++) {
                    publisherB.publish("restart/b", MqttClients.qos1("after-" + i));
                }
            } finally {
                MqttClients.closeQuietly(publisherB);
            }
            assertEquals(sequence("after-", 5), bodies(onA.await(5, WAIT)),
                "broker-b's messages after its restart\n" + cluster.diagnostics());
            assertEquals(List.of(), bodies(onA.drain(Duration.ofSeconds(1))), "nothing twice");
        } finally {
            closeAll(subscriber, publisherA);
        }
    }

    @Test
    @Order(8)
    void killDashNineOfThePublishersBrokerLosesNoAcknowledgedMessage() throws Exception {
        int receiveMaximum = 20;
        MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + a.mqttPort(), "kill9-sub-a", new MemoryPersistence());
        HeldAcks onA = new HeldAcks(subscriber);
        MqttConnectionOptions persistent = MqttClients.persistentSession(600);
        persistent.setReceiveMaximum(receiveMaximum);
        persistent.setConnectionTimeout(30);
        subscriber.connect(persistent);
        List<Arrivals.Arrival> received = new ArrayList<>();
        try {
            subscriber.subscribe("kill9/#", 1);
            MqttClient publisher = MqttClients.connect(b, "kill9-pub-b", cleanStart(), null);
            // The subscriber holds its PUBACKs: its inflight window fills, and the rest of what
            // broker-b acknowledged waits in broker-b's store when broker-b dies.
            List<String> acknowledged = KilledUnderLoad.publishUntilKilled(publisher, "kill9/x", "k-", 250, b,
                () -> received.addAll(onA.await(receiveMaximum, WAIT))).acknowledged();
            MqttClients.closeQuietly(publisher);
            received.addAll(onA.drain(Duration.ofMillis(200)));
            System.out.println("kill -9 of broker-b after " + acknowledged.size() + " acknowledged publishes, "
                + received.size() + " delivered before it");
            onA.release();

            b.start();
            List<String> missing = new ArrayList<>(acknowledged);
            missing.removeAll(bodies(received));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                List<Arrivals.Arrival> more = onA.await(1, Duration.ofSeconds(1));
                received.addAll(more);
                missing.removeAll(bodies(more));
            }
            received.addAll(onA.drain(Duration.ofSeconds(1)));
            assertEquals(List.of(), missing, "acknowledged publishes never delivered\n" + cluster.diagnostics());
            Map<String, Long> counts = bodies(received).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            List<String> duplicates = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).sorted().toList();
            System.out.println("kill -9 of broker-b: " + acknowledged.size() + " acknowledged, " + received.size()
                + " delivered, " + duplicates.size() + " delivered more than once: " + duplicates);
        } finally {
            MqttClients.closeQuietly(subscriber);
        }
    }

    @Test
    @Order(9)
    void aSessionWhoseGroupIsKilledGoesOnFromItsClusterWideSubscriptions() throws Exception {
        MqttConnectionOptions options = MqttClients.persistentSession(600);
        MqttClient mover = MqttClients.connect(a, "failover-mover", options, new Arrivals());
        mover.subscribe("failover/#", 1);
        mover.disconnect();
        mover.close();
        MqttClient publisherA = MqttClients.connect(a, "failover-pub-a", cleanStart(), null);
        MqttClient publisherB = MqttClients.connect(b, "failover-pub-b", cleanStart(), null);
        Arrivals arrivals = new Arrivals();
        MqttClient onB = new MqttClient("tcp://127.0.0.1:" + b.mqttPort(), "failover-mover", new MemoryPersistence());
        onB.setCallback(arrivals);
        MqttClient onA = null;
        try {
            for (int i = 1; i <= 3; i++) {
                publisherA.publish("failover/a", MqttClients.qos1("a" + i));
                publisherB.publish("failover/b", MqttClients.qos1("b" + i));
            }
            a.kill();
            MqttClients.closeQuietly(publisherA);

            assertTrue(onB.connectWithResult(options).getSessionPresent(),
                "the session goes on from its cluster-wide subscriptions while its group is down\n" + cluster.diagnostics());
            List<Arrivals.Arrival> received = new ArrayList<>(arrivals.await(3, WAIT));
            assertEquals(sequence("b", 3), bodies(received), "broker-b's backlog\n" + cluster.diagnostics());
            publisherB.publish("failover/b", MqttClients.qos1("b4"));
            received.addAll(arrivals.await(1, WAIT));

            a.start();
            ClusterPeers.await(cluster, a, b, "a-is-back");
            // What broker-a stored comes once the session reads broker-a again: at the latest
            // when it connects again.
            onB.disconnect();
            onB.close();
            onA = new MqttClient("tcp://127.0.0.1:" + a.mqttPort(), "failover-mover", new MemoryPersistence());
            onA.setCallback(arrivals);
            assertTrue(onA.connectWithResult(options).getSessionPresent(), "session present back on broker-a");
            received.addAll(arrivals.await(7 - received.size(), WAIT));
            received.addAll(arrivals.drain(Duration.ofSeconds(1)));
            List<String> bodies = bodies(received);
            assertEquals(sequence("a", 3), only(bodies, "a"), "broker-a's backlog, once, in order\n" + cluster.diagnostics());
            assertEquals(sequence("b", 4), only(bodies, "b"), "broker-b's messages, once, in order\n" + cluster.diagnostics());
        } finally {
            closeAll(publisherB, onB);
            if (onA != null) {
                MqttClients.closeQuietly(onA);
            }
        }
    }

    private static MqttConnectionOptions cleanStart() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        return options;
    }

    private static MqttMessage message(String body, int qos) {
        MqttMessage message = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        return message;
    }

    private static MqttMessage retained(String body) {
        MqttMessage message = message(body, 1);
        message.setRetained(true);
        return message;
    }

    private static List<String> bodies(List<Arrivals.Arrival> arrivals) {
        return arrivals.stream().map(Arrivals.Arrival::body).toList();
    }

    private static List<String> sequence(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }

    private static List<String> only(List<String> bodies, String prefix) {
        return bodies.stream().filter(body -> body.startsWith(prefix)).toList();
    }

    private static void closeAll(MqttClient... clients) {
        for (MqttClient client : clients) {
            MqttClients.closeQuietly(client);
        }
    }

    private static void closeAll(V3Client... clients) {
        for (V3Client client : clients) {
            client.close();
        }
    }
}
