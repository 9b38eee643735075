package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.Packets.assertConnAck;
import static net.lightqueue.mqtt.Packets.assertDisconnect;
import static net.lightqueue.mqtt.Packets.assertReply;
import static net.lightqueue.mqtt.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input from one client: it gets the right reason code or is closed, and a well-behaved
 * client connected all along keeps working (checked after every test).
 */
class MalformedInputTest {

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("mqttMaxPacketSize=1024", "mqttConnectTimeoutSeconds=1");
    static MqttClient bystander;
    static BlockingQueue<String> bystanderReceived = new ArrayBlockingQueue<>(100);

    @BeforeAll
    static void start() throws Exception {
        bystander = new MqttClient(broker.uri(), "bystander", new MemoryPersistence());
        bystander.connect(new MqttConnectOptions());
        bystander.subscribe("bystander/check", 1,
            (topic, message) -> bystanderReceived.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() throws Exception {
        bystander.disconnect();
    }

    @AfterEach
    void bystanderUndisturbed() throws Exception {
        String token = "still-here-" + System.nanoTime();
        bystander.publish("bystander/check", token.getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals(token, bystanderReceived.poll(20, TimeUnit.SECONDS));
    }

    @Test
    void firstPacketOtherThanConnectClosesTheConnection_MQTT_3_1_0_1() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.sendRaw((byte) 0xC0, (byte) 0x00); // PINGREQ
            client.awaitClose();
        }
    }

    @Test
    void secondConnectIsAProtocolError_MQTT_3_1_0_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "twice"), 0);
            client.send(RawClient.connect(MqttVersion.MQTT_5, "twice", true, 60));
            assertDisconnect(client.read(), 0x82);
            client.awaitClose();
        }
    }

    @Test
    void unsupportedProtocolLevelGetsConnAck0x01_MQTT_3_1_2_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // CONNECT "MQTT" level 9, clean session, keep alive 60, client id "x"
            client.sendRaw((byte) 0x10, (byte) 13, (byte) 0, (byte) 4, (byte) 'M', (byte) 'Q', (byte) 'T', (byte) 'T',
                (byte) 9, (byte) 0x02, (byte) 0, (byte) 60, (byte) 0, (byte) 1, (byte) 'x');
            assertConnAck(client.read(), 0x01);
            client.awaitClose();
        }
    }

    @Test
    void malformedRemainingLengthClosesTheConnection_MQTT_1_5_5() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_3_1_1, "bad-length"), 0);
            client.sendRaw((byte) 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x01);
            client.awaitClose();
        }
    }

    @Test
    void qos3PublishClosesTheConnection_MQTT_3_3_1_4() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "qos3"), 0);
            // PUBLISH with both QoS bits set, topic "a", packet id 1, no properties
            client.sendRaw((byte) 0x36, (byte) 6, (byte) 0, (byte) 1, (byte) 'a', (byte) 0, (byte) 1, (byte) 0);
            assertDisconnect(client.read(), 0x81);
            client.awaitClose();
        }
    }

    /** MQTT 5 section 3.2.2.3.6: a packet above the announced Maximum Packet Size gets DISCONNECT 0x95. */
    @Test
    void oversizePacketGetsDisconnect0x95() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "big"), 0);
            client.send(publish("big/topic", 0, 0, "x".repeat(2000)));
            assertDisconnect(client.read(), 0x95);
            client.awaitClose();
        }
    }

    @Test
    void invalidUtf8TopicIsMalformed_MQTT_1_5_4_1() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "utf8"), 0);
            // PUBLISH QoS 0, topic of two bytes C3 28 (not UTF-8), no properties, no payload
            client.sendRaw((byte) 0x30, (byte) 5, (byte) 0, (byte) 2, (byte) 0xC3, (byte) 0x28, (byte) 0);
            assertDisconnect(client.read(), 0x81);
            client.awaitClose();
        }
    }

    @Test
    void clientIdWithU0000IsRejected_MQTT_1_5_4_2_MQTT_3_1_3_4() throws Exception {
        try (RawClient v5 = new RawClient(broker.port()); RawClient v3 = new RawClient(broker.port())) {
            assertConnAck(v5.connected(MqttVersion.MQTT_5, "nul\u0000id"), 0x85);
            v5.awaitClose();
            assertConnAck(v3.connected(MqttVersion.MQTT_3_1_1, "nul\u0000id"), 0x02);
            v3.awaitClose();
        }
    }

    @Test
    void clientIdWithAnEncodedSurrogateIsRejected_MQTT_1_5_4_1_MQTT_3_1_3_4() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            // CONNECT "MQTT" level 5, clean start, keep alive 60, no properties, client id ED A0 80 (U+D800)
            client.sendRaw((byte) 0x10, (byte) 16, (byte) 0, (byte) 4, (byte) 'M', (byte) 'Q', (byte) 'T', (byte) 'T',
                (byte) 5, (byte) 0x02, (byte) 0, (byte) 60, (byte) 0, (byte) 0, (byte) 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80);
            assertConnAck(client.read(), 0x85);
            client.awaitClose();
        }
    }

    @Test
    void userNameWithU0000IsMalformed_MQTT_1_5_4_2() throws Exception {
        MqttConnectMessage v5Connect = MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5)
            .clientId("nul-user-5").cleanSession(true).keepAlive(60).hasUser(true).username("u\u0000").build();
        MqttConnectMessage v3Connect = MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
            .clientId("nul-user-3").cleanSession(true).keepAlive(60).hasUser(true).username("u\u0000").build();
        try (RawClient v5 = new RawClient(broker.port()); RawClient v3 = new RawClient(broker.port())) {
            v5.send(v5Connect);
            assertConnAck(v5.read(), 0x81);
            v5.awaitClose();
            v3.send(v3Connect);
            v3.awaitClose(); // 3.1.1 has no return code for a malformed CONNECT: the connection is closed
        }
    }

    @Test
    void userPropertyWithU0000InPublishIsMalformed_MQTT_1_5_4_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "nul-property"), 0);
            MqttProperties.UserProperties user = new MqttProperties.UserProperties();
            user.add("unit", "C\u0000");
            client.send(publish("nul/property", 1, 1, "21.5".getBytes(StandardCharsets.UTF_8), RawClient.properties(user)));
            assertDisconnect(client.read(), 0x81);
            client.awaitClose();
        }
    }

    @Test
    void filterWithU0000IsMalformed_MQTT_1_5_4_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "nul-filter"), 0);
            client.send(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/\u0000/#").build());
            assertDisconnect(client.read(), 0x81);
            client.awaitClose();
        }
    }

    @Test
    void wildcardInPublishTopicIsRefused_MQTT_3_3_2_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "wild"), 0);
            client.send(publish("a/+/b", 1, 1, "x"));
            assertDisconnect(client.read(), 0x90);
            client.awaitClose();
        }
    }

    @Test
    void multiLevelWildcardNotLastIsRefusedV5_MQTT_4_7_1_1() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "filter5"), 0);
            client.send(MqttMessageBuilders.subscribe().messageId(3).addSubscription(MqttQoS.AT_LEAST_ONCE, "a/#/b").build());
            MqttSubAckMessage ack = (MqttSubAckMessage) client.read();
            assertEquals(List.of(0x8F), ack.payload().reasonCodes());
        }
    }

    @Test
    void multiLevelWildcardNotLastIsRefusedV3_MQTT_4_7_1_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_3_1_1, "filter3"), 0);
            client.send(MqttMessageBuilders.subscribe().messageId(3).addSubscription(MqttQoS.AT_LEAST_ONCE, "a/#/b")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/b/#").build());
            MqttSubAckMessage ack = (MqttSubAckMessage) client.read();
            assertEquals(List.of(0x80, 1), ack.payload().reasonCodes());
        }
    }

    @Test
    void packetIdReusedWhileInFlightIsAProtocolError_MQTT_2_2_1_3() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "reuse"), 0);
            client.send(publish("reuse/t", 2, 5, "first"));
            assertReply(client.read(), MqttMessageType.PUBREC, 5, 0);
            client.send(publish("reuse/t", 1, 5, "second")); // id 5 still waits for PUBREL
            assertDisconnect(client.read(), 0x82);
            client.awaitClose();
        }
    }

    /** A connection that sends half a CONNECT and stalls is closed after mqttConnectTimeoutSeconds. */
    @Test
    void halfAPacketThenStallIsClosed() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.sendRaw((byte) 0x10, (byte) 0x20, (byte) 0x00, (byte) 0x04, (byte) 'M');
            client.awaitClose();
        }
    }

    @Test
    void silenceBeyondOneAndAHalfKeepAlivesCloses_MQTT_3_1_2_24() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(RawClient.connect(MqttVersion.MQTT_3_1_1, "sleepy", true, 1));
            assertConnAck(client.read(), 0);
            client.awaitClose();
        }
    }

    @Test
    void receiveMaximumExceededGetsDisconnect0x93_MQTT_3_3_4_9() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "greedy"), 0);
            // QoS 2 flows stay in flight until PUBREL, so 100 (the Receive Maximum) fill the window.
            for (int id = 1; id <= 100; id++) {
                client.send(publish("greedy/t", 2, id, "m"));
                assertReply(client.read(), MqttMessageType.PUBREC, id, 0);
            }
            client.send(publish("greedy/t", 2, 101, "one too many"));
            assertDisconnect(client.read(), 0x93);
            client.awaitClose();
        }
    }

    /**
     * A client that keeps sending past the Receive Maximum reads DISCONNECT 0x93, never a reset
     * instead: the server flushes it, shuts its output and drains the input before it closes
     * [MQTT-3.3.4-9].
     */
    @RepeatedTest(3)
    void floodPastReceiveMaximumStillReadsDisconnect0x93_MQTT_3_3_4_9() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "flood"), 0);
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int id = 1; id <= 2000; id++) {
                flood.write(client.encode(publish("flood/t", 2, id, "m"))); // never released: 101 exceed the 100
            }
            assertReadsDisconnectAfterFlood(client, flood.toByteArray(), 0x93);
        }
    }

    /** The same for a packet above the Maximum Packet Size followed by more bytes (MQTT 5 section 3.2.2.3.6). */
    @RepeatedTest(3)
    void floodWithAnOversizePacketStillReadsDisconnect0x95() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "flood-big"), 0);
            byte[] big = client.encode(publish("flood/big", 0, 0, "x".repeat(64 * 1024)));
            assertReadsDisconnectAfterFlood(client, big, 0x95);
        }
    }

    /**
     * Sends the bytes repeatedly (less than the server drains, 1 MiB), then reads: PUBRECs, the
     * DISCONNECT, the end. A server that closed with unread input would reset the connection: the
     * client's sending fails and a client library reports the reset instead of the reason code.
     */
    private static void assertReadsDisconnectAfterFlood(RawClient client, byte[] bytes, int reasonCode) throws Exception {
        AtomicReference<IOException> sendFailure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                for (int sent = 0; sent + bytes.length < 768 * 1024; sent += bytes.length) {
                    client.sendRaw(bytes);
                }
            } catch (IOException reset) {
                sendFailure.set(reset);
            }
        });
        sender.start();
        sender.join(30_000);
        assertFalse(sender.isAlive(), "the server neither read nor closed");
        assertNull(sendFailure.get(), "the server reset the connection while the client was sending");
        MqttMessage message = client.read();
        while (message != null && message.fixedHeader().messageType() == MqttMessageType.PUBREC) {
            message = client.read();
        }
        assertDisconnect(message, reasonCode);
        client.awaitClose();
    }

    @Test
    void v3PublishToAReservedTopicClosesTheConnection_MQTT_3_3_5_2() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_3_1_1, "reserved-level"), 0);
            client.send(publish("SCHEDULE_TOPIC_XXXX/x", 1, 1, "x"));
            client.awaitClose();
        }
    }

    @Test
    void unexpectedPacketTypeFromClientIsAProtocolError() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "suback-sender"), 0);
            client.sendRaw((byte) 0x90, (byte) 3, (byte) 0, (byte) 1, (byte) 0); // SUBACK
            MqttMessage reply = client.read();
            assertTrue(reply == null || reply.fixedHeader().messageType() == MqttMessageType.DISCONNECT);
            client.awaitClose();
        }
    }
}
