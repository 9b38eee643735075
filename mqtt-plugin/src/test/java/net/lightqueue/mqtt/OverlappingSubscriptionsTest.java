package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.ack;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.publish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that several subscriptions of one session match is sent once (MQTT 5 section
 * 3.3.4), live and from a persistent session's backlog, also after a restart.
 */
class OverlappingSubscriptionsTest {

    @TempDir
    Path store;

    @Test
    void noLocalAndRetainAsPublishedCombineOverTheMatchingSubscriptions_MQTT_3_8_3_3_MQTT_3_3_1_12() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient client = new RawClient(broker.port());
             RawClient other = new RawClient(broker.port())) {
            connect(client, connectV5("nl-self", true, 0));
            subscribeWith(client, "nl/#", true, false);
            subscribeWith(client, "nl/mixed", false, true);
            connect(other, connectV5("nl-other", true, 0));

            List<String> got = new ArrayList<>();
            client.send(qos1Publish("nl/mixed", true, 1, "own, matched without No Local"));
            readUntil(client, MqttMessageType.PUBACK, got);
            client.send(qos1Publish("nl/only", false, 2, "own, only No Local matches"));
            readUntil(client, MqttMessageType.PUBACK, got);
            other.send(qos1Publish("nl/mixed", true, 1, "other's"));
            Packets.assertReply(other.read(), MqttMessageType.PUBACK, 1, 0);
            SessionClients.publish(other, "nl/only", "other's too", 2);
            readPublishes(client, 3, got);
            assertEquals(List.of("own, matched without No Local (retain)", "other's (retain)", "other's too"), got,
                "delivered when one matching subscription delivers it; RETAIN as published when one has Retain As Published");
        }
    }

    @Test
    void aPersistentBacklogIsDeduplicatedAcrossDisconnectAndRestart() throws Exception {
        MqttConnectMessage resume = RawClient.connect(MqttVersion.MQTT_3_1_1, "ov-keeper", false, 60);
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient publisher = new RawClient(broker.port())) {
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "ov-keeper-pub"), 0);
            try (RawClient subscriber = new RawClient(broker.port())) {
                connect(subscriber, resume);
                subscribe(subscriber, "ov/#", 1);
                subscribe(subscriber, "ov/+", 1);
                subscribe(subscriber, "ov/t", 0);
                goAway(subscriber);
            }
            for (int i = 1; i <= 5; i++) {
                publish(publisher, "ov/t", "m" + i, i);
            }
            try (RawClient subscriber = new RawClient(broker.port())) {
                assertTrue(connect(subscriber, resume));
                assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), receive(subscriber, 5, 4),
                    "the backlog once; m5 left unacknowledged");
                goAway(subscriber);
            }
            publish(publisher, "ov/t", "m6", 6);
        }
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            assertTrue(connect(subscriber, resume));
            MqttPublishMessage resent = nextPublish(subscriber);
            assertEquals("m5", text(resent));
            assertTrue(resent.fixedHeader().isDup());
            ack(subscriber, MqttMessageType.PUBACK, resent.variableHeader().packetId());
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "ov-keeper-pub"), 0);
            publish(publisher, "ov/t/deeper", "marker", 1);
            assertEquals(List.of("m6", "marker"), receive(subscriber, 2, 2), "m5 resent once, m6 once, then the marker");
        }
    }

    @Test
    void aSubscriptionAddedLaterAddsNoCopies() throws Exception {
        MqttConnectMessage resume = connectV5("late-sub", false, 3600);
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient publisher = new RawClient(broker.port())) {
            connect(publisher, connectV5("late-pub", true, 0));
            try (RawClient subscriber = new RawClient(broker.port())) {
                connect(subscriber, resume);
                subscribe(subscriber, "late/#", 1);
                goAway(subscriber);
            }
            publish(publisher, "late/t", "offline1", 1);
            publish(publisher, "late/t", "offline2", 2);
            try (RawClient subscriber = new RawClient(broker.port())) {
                assertTrue(connect(subscriber, resume));
                List<String> got = new ArrayList<>();
                // Subscribes while its backlog (in late/# only) may still be on its way.
                subscriber.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.EXACTLY_ONCE, "late/+")
                    .build());
                readUntil(subscriber, MqttMessageType.SUBACK, got);
                publish(publisher, "late/t", "both1", 3);
                subscriber.send(MqttMessageBuilders.subscribe().messageId(2).addSubscription(MqttQoS.AT_MOST_ONCE, "late/t")
                    .build());
                readUntil(subscriber, MqttMessageType.SUBACK, got);
                publish(publisher, "late/t", "all2", 4);
                publish(publisher, "late/t/x", "marker", 5);
                readPublishes(subscriber, 5, got);
                assertEquals(List.of("offline1", "offline2", "both1", "all2", "marker"), got);
            }
        }
    }

    private static void subscribeWith(RawClient client, String filter, boolean noLocal, boolean retainAsPublished)
        throws IOException {
        client.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(filter,
            new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, noLocal, retainAsPublished,
                RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE)).build());
        assertEquals(MqttMessageType.SUBACK, client.read().fixedHeader().messageType());
    }

    /** A QoS 1 PUBLISH. */
    private static MqttPublishMessage qos1Publish(String topic, boolean retain, int packetId, String payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE,
            retain, 0), new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
            Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads packets until one of {@code type}: PUBLISHes may come before a reply to the client's
     * own packet. Each PUBLISH on the way is added to {@code got} and acknowledged.
     */
    private static void readUntil(RawClient client, MqttMessageType type, List<String> got) throws IOException {
        while (true) {
            MqttMessage packet = client.read();
            assertNotNull(packet, "the server closed the connection, expected " + type);
            if (packet.fixedHeader().messageType() == type) {
                return;
            }
            received(client, assertInstanceOf(MqttPublishMessage.class, packet), got, true);
        }
    }

    /** Reads PUBLISHes until {@code got} holds {@code total}, acknowledging them. */
    private static void readPublishes(RawClient client, int total, List<String> got) throws IOException {
        while (got.size() < total) {
            received(client, nextPublish(client), got, true);
        }
    }

    /** Reads {@code count} PUBLISHes' payloads, acknowledging the first {@code acknowledged} of them. */
    private static List<String> receive(RawClient subscriber, int count, int acknowledged) throws IOException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            received(subscriber, nextPublish(subscriber), got, i < acknowledged);
        }
        return got;
    }

    private static void received(RawClient client, MqttPublishMessage message, List<String> got, boolean acknowledge)
        throws IOException {
        got.add(text(message) + (message.fixedHeader().isRetain() ? " (retain)" : ""));
        MqttQoS qos = message.fixedHeader().qosLevel();
        if (acknowledge && qos != MqttQoS.AT_MOST_ONCE) {
            ack(client, qos == MqttQoS.AT_LEAST_ONCE ? MqttMessageType.PUBACK : MqttMessageType.PUBREC,
                message.variableHeader().packetId());
        }
    }

    /** Disconnects and waits until the server closed the connection, so later publishes find the session offline. */
    private static void goAway(RawClient subscriber) throws IOException {
        subscriber.send(SessionClients.disconnect(0));
        subscriber.awaitClose();
    }
}
