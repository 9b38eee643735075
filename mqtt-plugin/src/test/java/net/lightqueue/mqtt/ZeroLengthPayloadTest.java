package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.Packets.assertReply;
import static net.lightqueue.mqtt.SessionClients.ack;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A PUBLISH with a zero-length payload is a message like any other (MQTT 5 section 3.3.3):
 * delivered at every QoS, to v3 and v5 clients, to shared groups, and never holding up the
 * messages after it.
 */
class ZeroLengthPayloadTest {

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @Test
    void emptyPayloadsAtEveryQosReachV3V5AndSharedSubscribersAndDoNotHoldUpLaterMessages() throws Exception {
        try (RawClient v3 = new RawClient(broker.port());
             RawClient v5 = new RawClient(broker.port());
             RawClient member = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            connect(v3, RawClient.connect(MqttVersion.MQTT_3_1_1, "empty-v3", true, 60));
            subscribe(v3, "empty/#", 2);
            connect(v5, connectV5("empty-v5", true, 0));
            subscribe(v5, "empty/#", 2);
            connect(member, connectV5("empty-member", true, 0));
            subscribe(member, "$share/g/empty/#", 2);
            connect(publisher, connectV5("empty-pub", true, 0));

            publish(publisher, "empty/q0", 0, 0, "");
            publish(publisher, "empty/q1", 1, 1, "");
            publish(publisher, "empty/q2", 2, 2, "");
            publish(publisher, "empty/after", 1, 3, "after");

            List<String> expected = List.of("empty/q0 0 ''", "empty/q1 1 ''", "empty/q2 2 ''", "empty/after 1 'after'");
            for (RawClient subscriber : List.of(v3, v5, member)) {
                assertEquals(expected, receive(subscriber, 4));
            }
        }
    }

    @Test
    void anEmptyRetainedPublishDeletesTheRetainedMessageAndIsDeliveredAsANormalMessage_MQTT_3_3_1_10_11()
        throws Exception {
        try (RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            connect(publisher, connectV5("clear-pub", true, 0));
            publishRetained(publisher, "clear/t", 1, "kept");
            connect(subscriber, connectV5("clear-sub", true, 0));
            subscribe(subscriber, "clear/#", 1);
            assertEquals(List.of("clear/t 1 'kept' retained"), receive(subscriber, 1));

            publishRetained(publisher, "clear/t", 2, "");
            publish(publisher, "clear/after", 1, 3, "after");
            assertEquals(List.of("clear/t 1 ''", "clear/after 1 'after'"), receive(subscriber, 2),
                "delivered to current subscribers, with RETAIN cleared as any live message [MQTT-3.3.1-12]");
        }
        try (RawClient late = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            connect(late, connectV5("clear-late", true, 0));
            subscribe(late, "clear/#", 1);
            connect(publisher, connectV5("clear-marker", true, 0));
            publish(publisher, "clear/marker", 1, 1, "marker");
            assertEquals(List.of("clear/marker 1 'marker'"), receive(late, 1), "no retained message is left [MQTT-3.3.1-10]");
        }
    }

    /** Publishes and completes the QoS flow, so the message is stored when this returns. */
    static void publish(RawClient publisher, String topic, int qos, int packetId, String payload) throws IOException {
        publisher.send(Packets.publish(topic, qos, packetId, payload));
        completeFlow(publisher, qos, packetId);
    }

    private static void publishRetained(RawClient publisher, String topic, int packetId, String payload)
        throws IOException {
        publisher.send(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE,
            true, 0), new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
            Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))));
        completeFlow(publisher, 1, packetId);
    }

    private static void completeFlow(RawClient publisher, int qos, int packetId) throws IOException {
        if (qos == 1) {
            assertReply(publisher.read(), MqttMessageType.PUBACK, packetId, 0);
        } else if (qos == 2) {
            assertReply(publisher.read(), MqttMessageType.PUBREC, packetId, 0);
            publisher.send(Packets.pubRel(packetId));
            assertReply(publisher.read(), MqttMessageType.PUBCOMP, packetId, 0);
        }
    }

    /**
     * Reads {@code count} PUBLISHes as "topic qos 'payload'[ retained]", acknowledging each and
     * completing QoS 2 flows as their PUBREL comes.
     */
    static List<String> receive(RawClient subscriber, int count) throws IOException {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            MqttMessage packet = subscriber.read();
            assertNotNull(packet, "the server closed the connection after " + got);
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBREL) {
                ack(subscriber, MqttMessageType.PUBCOMP, ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId());
                continue;
            }
            MqttPublishMessage message = assertInstanceOf(MqttPublishMessage.class, packet);
            int qos = message.fixedHeader().qosLevel().value();
            got.add(message.variableHeader().topicName() + " " + qos + " '" + text(message) + "'"
                + (message.fixedHeader().isRetain() ? " retained" : ""));
            if (qos > 0) {
                ack(subscriber, qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC,
                    message.variableHeader().packetId());
            }
        }
        return got;
    }
}
