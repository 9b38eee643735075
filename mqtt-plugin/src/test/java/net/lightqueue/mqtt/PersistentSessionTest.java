package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.ack;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.publish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions that outlive their connection and the broker: resume, resend, expiry, limits. */
class PersistentSessionTest {

    @TempDir
    Path store;

    @Test
    void unacknowledgedAndQueuedMessagesSurviveARestartInOrder_MQTT_4_4_0_1() throws Exception {
        int firstPacketId;
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            assertFalse(connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "keeper", false, 60)),
                "no session existed [MQTT-3.2.2-3]");
            subscribe(subscriber, "keep/#", 1);
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "keeper-pub"), 0);
            publish(publisher, "keep/t", "m1", 1);
            MqttPublishMessage first = nextPublish(subscriber);
            assertEquals("m1", text(first));
            firstPacketId = first.variableHeader().packetId();
            // Gone without PUBACK. Waiting for the server to close the connection makes sure m2..m4
            // are published to an offline session (a plain socket close could race with them, and
            // messages written to a connection that was still open are rightly resent with DUP).
            subscriber.send(SessionClients.disconnect(0));
            subscriber.awaitClose();
            for (int i = 2; i <= 4; i++) {
                publish(publisher, "keep/t", "m" + i, i);
            }
        }
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port())) {
            assertTrue(connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "keeper", false, 60)),
                "the session survived the restart [MQTT-3.2.2-2]");
            MqttPublishMessage resent = nextPublish(subscriber);
            assertEquals("m1", text(resent));
            assertTrue(resent.fixedHeader().isDup());
            assertEquals(firstPacketId, resent.variableHeader().packetId());
            ack(subscriber, MqttMessageType.PUBACK, firstPacketId);
            for (int i = 2; i <= 4; i++) {
                MqttPublishMessage queued = nextPublish(subscriber);
                assertEquals("m" + i, text(queued));
                assertFalse(queued.fixedHeader().isDup());
                ack(subscriber, MqttMessageType.PUBACK, queued.variableHeader().packetId());
            }
            subscriber.send(SessionClients.disconnect(0));
            subscriber.awaitClose();
        }
        // A clean stop recorded every acknowledgement: nothing comes again.
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            assertTrue(connect(subscriber, RawClient.connect(MqttVersion.MQTT_3_1_1, "keeper", false, 60)));
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "keeper-pub"), 0);
            publish(publisher, "keep/t", "after", 1);
            assertEquals("after", text(nextPublish(subscriber)));
        }
    }

    @Test
    void zeroLengthPayloadsInABacklogAreDeliveredAfterARestart() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            connect(subscriber, connectV5("empty-keeper", false, 3600));
            subscribe(subscriber, "backlog/#", 1);
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "empty-keeper-pub"), 0);
            publish(publisher, "backlog/t", "", 1);
            MqttPublishMessage unacknowledged = nextPublish(subscriber);
            assertEquals("", text(unacknowledged));
            subscriber.send(SessionClients.disconnect(0));
            subscriber.awaitClose();
            publish(publisher, "backlog/t", "", 2);
            publish(publisher, "backlog/t", "after", 3);
        }
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port())) {
            assertTrue(connect(subscriber, connectV5("empty-keeper", false, 3600)));
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MqttPublishMessage message = nextPublish(subscriber);
                got.add("'" + text(message) + "'" + (message.fixedHeader().isDup() ? " dup" : ""));
                ack(subscriber, MqttMessageType.PUBACK, message.variableHeader().packetId());
            }
            assertEquals(List.of("'' dup", "''", "'after'"), got, "the unacknowledged one again, then the backlog");
        }
    }

    @Test
    void recordedPubRecMeansOnlyPubRelIsResentAfterARestart_MQTT_4_3_3_13() throws Exception {
        int packetId;
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            connect(subscriber, connectV5("exactly", false, 3600));
            subscribe(subscriber, "exact/t", 2);
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "exactly-pub"), 0);
            publisher.send(Packets.publish("exact/t", 2, 1, "once"));
            Packets.assertReply(publisher.read(), MqttMessageType.PUBREC, 1, 0);
            publisher.send(Packets.pubRel(1));
            Packets.assertReply(publisher.read(), MqttMessageType.PUBCOMP, 1, 0);
            MqttPublishMessage delivered = nextPublish(subscriber);
            packetId = delivered.variableHeader().packetId();
            ack(subscriber, MqttMessageType.PUBREC, packetId);
            MqttMessage pubRel = subscriber.read();
            assertEquals(MqttMessageType.PUBREL, pubRel.fixedHeader().messageType());
            subscriber.close(); // without PUBCOMP
        }
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            assertTrue(connect(subscriber, connectV5("exactly", false, 3600)));
            MqttMessage resent = subscriber.read();
            assertEquals(MqttMessageType.PUBREL, resent.fixedHeader().messageType(), "never the message again");
            assertEquals(packetId, ((MqttMessageIdVariableHeader) resent.variableHeader()).messageId());
            ack(subscriber, MqttMessageType.PUBCOMP, packetId);
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "exactly-pub"), 0);
            publisher.send(Packets.publish("exact/t", 0, 0, "next"));
            assertEquals("next", text(nextPublish(subscriber)));
        }
    }

    /**
     * A v5 client that leaves Receive Maximum at its default (65,535) gets at most the server's
     * window, and acknowledging a QoS 2 backlog costs progress records per burst of PUBRECs, not
     * one per PUBREC: each record lists the whole window, so one per PUBREC grew the commitlog
     * with the square of the window (100 MB/s and no CONNACK for minutes under a 20,000-message backlog).
     */
    @Test
    void aQos2BacklogIsAcknowledgedInWindowsAndRecordedPerBurst() throws Exception {
        int backlog = 1200;
        int window = 200;
        try (MqttBroker broker = MqttBroker.start(store, "mqttInflightWindow=" + window)) {
            try (RawClient subscriber = new RawClient(broker.port());
                 RawClient publisher = new RawClient(broker.port())) {
                connect(subscriber, connectV5("backlog-exactly", false, 3600));
                subscribe(subscriber, "burst/t", 2);
                subscriber.send(SessionClients.disconnect(0));
                subscriber.awaitClose();
                Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "backlog-pub"), 0);
                for (int i = 0; i < backlog; i++) { // at QoS 2, so that QoS 2 is what the subscriber gets
                    int packetId = 1 + i;
                    publisher.send(Packets.publish("burst/t", 2, packetId, "m" + i));
                    Packets.assertReply(publisher.read(), MqttMessageType.PUBREC, packetId, 0);
                    publisher.send(Packets.pubRel(packetId));
                    Packets.assertReply(publisher.read(), MqttMessageType.PUBCOMP, packetId, 0);
                }
            }
            long before = broker.broker().controller().getMessageStore().getMaxPhyOffset();
            List<String> received = new ArrayList<>();
            try (RawClient subscriber = new RawClient(broker.port())) {
                assertTrue(connect(subscriber, connectV5("backlog-exactly", false, 3600)));
                while (received.size() < backlog) {
                    List<Integer> packetIds = new ArrayList<>();
                    for (int i = 0; i < window; i++) { // a full window, then nothing until it is acknowledged
                        MqttPublishMessage message = nextPublishAfter(subscriber, received);
                        received.add(text(message) + (message.fixedHeader().isDup() ? " dup" : ""));
                        packetIds.add(message.variableHeader().packetId());
                    }
                    subscriber.sendRaw(acks(subscriber, MqttMessageType.PUBREC, packetIds));
                    for (int packetId : packetIds) {
                        MqttMessage pubRel = subscriber.read();
                        assertEquals(MqttMessageType.PUBREL, pubRel.fixedHeader().messageType());
                        assertEquals(packetId, ((MqttMessageIdVariableHeader) pubRel.variableHeader()).messageId());
                    }
                    subscriber.sendRaw(acks(subscriber, MqttMessageType.PUBCOMP, packetIds));
                }
                subscriber.send(SessionClients.disconnect(0));
                subscriber.awaitClose();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                expected.add("m" + i);
            }
            assertEquals(expected, received, "every message once, in order, none resent");
            long recorded = broker.broker().controller().getMessageStore().getMaxPhyOffset() - before;
            // One record per PUBREC would be 1,200 records of up to 200 deliveries each: 2.6 MB and more.
            assertTrue(recorded < 512 * 1024, "progress records took " + recorded + " bytes of commitlog");
        }
    }

    private static MqttPublishMessage nextPublishAfter(RawClient subscriber, List<String> received) throws IOException {
        try {
            return nextPublish(subscriber);
        } catch (AssertionError e) {
            throw new AssertionError("after " + received.size() + " messages: " + e.getMessage(), e);
        }
    }

    /** The packets as one write, so the server reads them in one go. */
    private static byte[] acks(RawClient client, MqttMessageType type, List<Integer> packetIds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int packetId : packetIds) {
            bytes.writeBytes(client.encode(SessionClients.ackPacket(type, packetId)));
        }
        return bytes.toByteArray();
    }

    @Test
    void takeoverResendsInflightThenTheRest_MQTT_3_1_4_3() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient first = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            MqttProperties window = SessionClients.expiry(600);
            window.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), 2));
            first.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("taken")
                .cleanSession(false).keepAlive(60).properties(window).build());
            Packets.assertConnAck(first.read(), 0);
            subscribe(first, "taken/t", 1);
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "taken-pub"), 0);
            for (int i = 1; i <= 4; i++) {
                publish(publisher, "taken/t", "m" + i, i);
            }
            List<Integer> inflight = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                MqttPublishMessage delivered = nextPublish(first);
                assertEquals("m" + i, text(delivered));
                inflight.add(delivered.variableHeader().packetId());
            }
            try (RawClient second = new RawClient(broker.port())) {
                assertTrue(connect(second, connectV5("taken", false, 600)));
                Packets.assertDisconnect(first.read(), 0x8E);
                for (int i = 1; i <= 4; i++) {
                    MqttPublishMessage delivered = nextPublish(second);
                    assertEquals("m" + i, text(delivered));
                    assertEquals(i <= 2, delivered.fixedHeader().isDup());
                    if (i <= 2) {
                        assertEquals(inflight.get(i - 1), delivered.variableHeader().packetId());
                    }
                    ack(second, MqttMessageType.PUBACK, delivered.variableHeader().packetId());
                }
            }
        }
    }

    @Test
    void cleanStartDiscardsTheSession_MQTT_3_1_2_4() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store)) {
            try (RawClient client = new RawClient(broker.port())) {
                connect(client, connectV5("fresh", false, 600));
                subscribe(client, "fresh/t", 1);
            }
            try (RawClient client = new RawClient(broker.port())) {
                assertTrue(connect(client, connectV5("fresh", false, 600)));
            }
            try (RawClient client = new RawClient(broker.port())) {
                assertFalse(connect(client, connectV5("fresh", true, 600)), "clean start [MQTT-3.2.2-2]");
            }
            try (RawClient client = new RawClient(broker.port());
                 RawClient publisher = new RawClient(broker.port())) {
                assertTrue(connect(client, connectV5("fresh", false, 0)));
                Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "fresh-pub"), 0);
                subscribe(client, "fresh/marker", 1);
                publish(publisher, "fresh/t", "to the discarded subscription", 1);
                publish(publisher, "fresh/marker", "marker", 2);
                assertEquals("marker", text(nextPublish(client)));
            }
        }
    }

    @Test
    void sessionsExpireAlsoWhileTheBrokerIsDown_MQTT_3_1_2_23() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store, "mqttMaxSessionExpirySeconds=1")) {
            try (RawClient client = new RawClient(broker.port())) {
                client.send(connectV5("brief", false, 3600));
                MqttConnAckMessage connAck = (MqttConnAckMessage) client.read();
                IntegerProperty granted = (IntegerProperty) connAck.variableHeader().properties()
                    .getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
                assertEquals(1, granted.value(), "the client is told the capped expiry");
                subscribe(client, "brief/t", 1);
            }
            try (RawClient client = new RawClient(broker.port())) {
                TimeUnit.MILLISECONDS.sleep(1500);
                assertFalse(connect(client, connectV5("brief", false, 3600)), "expired while the broker ran");
                subscribe(client, "brief/t", 1);
            }
        }
        TimeUnit.MILLISECONDS.sleep(1500);
        try (MqttBroker broker = MqttBroker.start(store, "mqttMaxSessionExpirySeconds=1");
             RawClient client = new RawClient(broker.port())) {
            assertFalse(connect(client, connectV5("brief", false, 3600)), "expired while the broker was down");
        }
    }

    @Test
    void newSessionsBeyondTheLimitAreRefused() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store, "mqttMaxSessions=2");
             RawClient one = new RawClient(broker.port());
             RawClient two = new RawClient(broker.port())) {
            connect(one, RawClient.connect(MqttVersion.MQTT_3_1_1, "one", false, 60));
            connect(two, connectV5("two", true, 0));
            try (RawClient v3 = new RawClient(broker.port())) {
                Packets.assertConnAck(v3.connected(MqttVersion.MQTT_3_1_1, "three"), 0x03);
            }
            try (RawClient v5 = new RawClient(broker.port())) {
                Packets.assertConnAck(v5.connected(MqttVersion.MQTT_5, "three"), 0x97);
            }
            two.close(); // a session without expiry ends with its connection
            Packets.assertConnAck(awaitAccepted(broker, "three"), 0);
            try (RawClient resumed = new RawClient(broker.port())) {
                assertTrue(connect(resumed, RawClient.connect(MqttVersion.MQTT_3_1_1, "one", false, 60)),
                    "existing sessions are not limited");
            }
        }
    }

    /** The freed slot appears once the ended session's state is written: retry briefly. */
    private static MqttMessage awaitAccepted(MqttBroker broker, String clientId) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (RawClient client = new RawClient(broker.port())) {
                MqttConnAckMessage connAck = (MqttConnAckMessage) client.connected(MqttVersion.MQTT_5, clientId);
                if (connAck.variableHeader().connectReturnCode().byteValue() == 0 || attempt == 50) {
                    return connAck;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Test
    void expiredStoredMessagesAreNeverDelivered_MQTT_3_3_2_5() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient publisher = new RawClient(broker.port())) {
            for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
                String clientId = "late-" + version.protocolLevel();
                try (RawClient client = new RawClient(broker.port())) {
                    connect(client, version == MqttVersion.MQTT_5 ? connectV5(clientId, false, 600)
                        : RawClient.connect(version, clientId, false, 60));
                    subscribe(client, "late/" + clientId, 1);
                }
            }
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "late-pub"), 0);
            for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
                String topic = "late/late-" + version.protocolLevel();
                publisher.send(Packets.publish(topic, 1, 1, "short".getBytes(StandardCharsets.UTF_8), messageExpiry(1)));
                Packets.assertReply(publisher.read(), MqttMessageType.PUBACK, 1, 0);
                publisher.send(Packets.publish(topic, 1, 2, "long".getBytes(StandardCharsets.UTF_8), messageExpiry(60)));
                Packets.assertReply(publisher.read(), MqttMessageType.PUBACK, 2, 0);
            }
            TimeUnit.MILLISECONDS.sleep(2100);
            for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
                String clientId = "late-" + version.protocolLevel();
                try (RawClient client = new RawClient(broker.port())) {
                    assertTrue(connect(client, version == MqttVersion.MQTT_5 ? connectV5(clientId, false, 600)
                        : RawClient.connect(version, clientId, false, 60)));
                    MqttPublishMessage delivered = nextPublish(client);
                    assertEquals("long", text(delivered), "the expired message is skipped");
                    if (version == MqttVersion.MQTT_5) {
                        int remaining = ((IntegerProperty) delivered.variableHeader().properties()
                            .getProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value())).value();
                        assertTrue(remaining < 60 && remaining > 0, "the remaining interval is sent [MQTT-3.3.2-6]");
                    }
                }
            }
        }
    }

    private static MqttProperties messageExpiry(int seconds) {
        return RawClient.properties(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), seconds));
    }

    @Test
    void pahoV3PersistentSessionAcrossARestart() throws Exception {
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        try (MqttBroker broker = MqttBroker.start(store)) {
            MqttClient subscriber = new MqttClient(broker.uri(), "paho-keeper", new MemoryPersistence());
            subscriber.connect(persistent);
            subscriber.subscribe("paho/keep", 1);
            subscriber.disconnect();
            subscriber.close();
            MqttClient publisher = new MqttClient(broker.uri(), "paho-keeper-pub", new MemoryPersistence());
            publisher.connect();
            for (int i = 0; i < 20; i++) {
                publisher.publish("paho/keep", Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            publisher.disconnect();
            publisher.close();
        }
        try (MqttBroker broker = MqttBroker.start(store)) {
            BlockingQueue<String> received = new ArrayBlockingQueue<>(100);
            MqttClient subscriber = new MqttClient(broker.uri(), "paho-keeper", new MemoryPersistence());
            subscriber.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            subscriber.connect(persistent);
            for (int i = 0; i < 20; i++) {
                assertEquals(Integer.toString(i), received.poll(20, TimeUnit.SECONDS));
            }
            subscriber.disconnect();
            subscriber.close();
        }
    }
}
