package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.Packets.assertConnAck;
import static net.lightqueue.mqtt.Packets.assertDisconnect;
import static net.lightqueue.mqtt.Packets.assertReply;
import static net.lightqueue.mqtt.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packet-level flows that a client library hides: resends, deduplication, aliases, refusals. */
class SessionFlowTest {

    @TempDir
    Path store;

    @Test
    void unacknowledgedDeliveryIsResentWithDupAfterTakeover_MQTT_4_4_0_1() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient first = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            first.send(RawClient.connect(MqttVersion.MQTT_3_1_1, "resend", false, 60));
            assertConnAck(first.read(), 0);
            first.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, "resend/t").build());
            assertEquals(MqttMessageType.SUBACK, first.read().fixedHeader().messageType());
            assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "resend-pub"), 0);
            publisher.send(publish("resend/t", 1, 1, "once"));
            assertReply(publisher.read(), MqttMessageType.PUBACK, 1, 0);
            MqttPublishMessage delivered = (MqttPublishMessage) first.read();
            assertEquals(false, delivered.fixedHeader().isDup());

            try (RawClient second = new RawClient(broker.port())) {
                second.send(RawClient.connect(MqttVersion.MQTT_3_1_1, "resend", false, 60));
                MqttConnAckMessage connAck = (MqttConnAckMessage) second.read();
                assertTrue(connAck.variableHeader().isSessionPresent());
                MqttPublishMessage resent = (MqttPublishMessage) second.read();
                assertTrue(resent.fixedHeader().isDup());
                assertEquals(delivered.variableHeader().packetId(), resent.variableHeader().packetId());
                assertEquals("once", resent.payload().toString(StandardCharsets.UTF_8));
                first.awaitClose();
            }
        }
    }

    @Test
    void qos2PublishIsStoredOnceUntilPubRel_MQTT_4_3_3_2() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            assertConnAck(subscriber.connected(MqttVersion.MQTT_5, "dedupe-sub"), 0);
            subscriber.send(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "dedupe/#").build());
            assertEquals(MqttMessageType.SUBACK, subscriber.read().fixedHeader().messageType());
            assertConnAck(publisher.connected(MqttVersion.MQTT_5, "dedupe-pub"), 0);
            publisher.send(publish("dedupe/t", 2, 7, "exactly once"));
            assertReply(publisher.read(), MqttMessageType.PUBREC, 7, 0);
            publisher.send(publish("dedupe/t", 2, 7, "exactly once")); // as if PUBREC was lost
            assertReply(publisher.read(), MqttMessageType.PUBREC, 7, 0);
            publisher.send(Packets.pubRel(7));
            assertReply(publisher.read(), MqttMessageType.PUBCOMP, 7, 0);
            publisher.send(publish("dedupe/t", 0, 0, "marker"));

            assertEquals("exactly once", ((MqttPublishMessage) subscriber.read()).payload().toString(StandardCharsets.UTF_8));
            assertEquals("marker", ((MqttPublishMessage) subscriber.read()).payload().toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void inboundTopicAliasesAreResolved_MQTT_3_3_2_12() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            assertConnAck(subscriber.connected(MqttVersion.MQTT_3_1_1, "alias-sub"), 0);
            subscriber.send(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "alias/t").build());
            assertEquals(MqttMessageType.SUBACK, subscriber.read().fixedHeader().messageType());
            assertConnAck(publisher.connected(MqttVersion.MQTT_5, "alias-pub"), 0);
            MqttProperties alias1 = RawClient.properties(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 1));
            publisher.send(publish("alias/t", 1, 1, "set".getBytes(StandardCharsets.UTF_8), alias1));
            assertReply(publisher.read(), MqttMessageType.PUBACK, 1, 0);
            publisher.send(publish("", 1, 2, "used".getBytes(StandardCharsets.UTF_8), alias1));
            assertReply(publisher.read(), MqttMessageType.PUBACK, 2, 0);
            for (String expected : new String[] {"set", "used"}) {
                MqttPublishMessage got = (MqttPublishMessage) subscriber.read();
                assertEquals("alias/t", got.variableHeader().topicName());
                assertEquals(expected, got.payload().toString(StandardCharsets.UTF_8));
            }
            MqttProperties alias17 = RawClient.properties(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 17));
            publisher.send(publish("alias/t", 1, 3, "x".getBytes(StandardCharsets.UTF_8), alias17));
            assertDisconnect(publisher.read(), 0x94);
        }
    }

    @Test
    void payloadThatIsNotTheDeclaredUtf8IsRefused_MQTT_3_3_2_4() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient publisher = new RawClient(broker.port())) {
            assertConnAck(publisher.connected(MqttVersion.MQTT_5, "pfi"), 0);
            MqttProperties utf8 = RawClient.properties(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
            publisher.send(publish("pfi/t", 1, 1, new byte[] {(byte) 0xC3, 0x28}, utf8));
            assertReply(publisher.read(), MqttMessageType.PUBACK, 1, 0x99);
        }
    }

    @Test
    void refusalsWhenAnonymousAccessAndTopicCreationAreOff() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store, "mqttAllowAnonymous=false", "mqttAutoCreateTopics=false")) {
            try (RawClient v3 = new RawClient(broker.port())) {
                assertConnAck(v3.connected(MqttVersion.MQTT_3_1_1, "anon3"), 0x05);
                v3.awaitClose();
            }
            try (RawClient v5 = new RawClient(broker.port())) {
                assertConnAck(v5.connected(MqttVersion.MQTT_5, "anon5"), 0x87);
                v5.awaitClose();
            }
            try (RawClient named = new RawClient(broker.port())) {
                named.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("named")
                    .hasUser(true).username("device-1").build());
                assertConnAck(named.read(), 0);
                named.send(publish("nosuchtopic/x", 1, 1, "x"));
                assertReply(named.read(), MqttMessageType.PUBACK, 1, 0x90);
            }
        }
    }

    @Test
    void v5ClientsAreToldTheServerIsShuttingDown() throws Exception {
        MqttBroker broker = MqttBroker.start(store);
        try (RawClient client = new RawClient(broker.port())) {
            assertConnAck(client.connected(MqttVersion.MQTT_5, "goodbye"), 0);
            broker.close();
            MqttMessage message = client.read();
            assertDisconnect(message, 0x8B);
        }
    }
}
