package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.ack;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.publish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message that cannot be sent to a subscriber is skipped for it and never holds up the rest. */
class UndeliverableMessageTest {

    @TempDir
    Path store;

    @Test
    void aMessageLargerThanTheClientsMaximumPacketSizeIsSkippedCountedAndNeverResent_MQTT_3_1_2_25() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store, "mqttSysIntervalSeconds=1");
             RawClient publisher = new RawClient(broker.port())) {
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "big-pub"), 0);
            try (RawClient subscriber = new RawClient(broker.port())) {
                connect(subscriber, smallPackets("small-client"));
                subscribe(subscriber, "big/#", 1);
                publish(publisher, "big/t", "x".repeat(500), 1);
                publish(publisher, "big/t", "small", 2);
                MqttPublishMessage small = nextPublish(subscriber);
                assertEquals("small", text(small));
                ack(subscriber, MqttMessageType.PUBACK, small.variableHeader().packetId());
                subscriber.send(SessionClients.disconnect(0));
                subscriber.awaitClose();
            }
            try (RawClient subscriber = new RawClient(broker.port())) {
                assertTrue(connect(subscriber, smallPackets("small-client")));
                publish(publisher, "big/t", "marker", 3);
                assertEquals("marker", text(nextPublish(subscriber)), "the skipped message is not owed to the session");
            }
            try (RawClient monitor = new RawClient(broker.port())) {
                Packets.assertConnAck(monitor.connected(MqttVersion.MQTT_5, "monitor"), 0);
                subscribe(monitor, "$SYS/broker/publish/messages/dropped", 0);
                String dropped;
                do {
                    dropped = text(nextPublish(monitor)); // the retained value, then one per interval
                } while (dropped.equals("0"));
                assertEquals("1", dropped);
            }
        }
    }

    /** Maximum Packet Size is a Four Byte Integer (MQTT 5 section 3.1.2.11.4): 0xFFFFFFFF is above every size, not negative. */
    @Test
    void aMaximumPacketSizeAboveTwoToThe31IsNoLimit() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient publisher = new RawClient(broker.port());
             RawClient subscriber = new RawClient(broker.port())) {
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "unsigned-pub"), 0);
            connect(subscriber, MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("unsigned-sub")
                .keepAlive(60).properties(RawClient.properties(
                    new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 0xFFFFFFFF))).build());
            subscribe(subscriber, "unsigned/#", 1);
            publish(publisher, "unsigned/t", "x".repeat(500), 1);
            assertEquals("x".repeat(500), text(nextPublish(subscriber)));
        }
    }

    /** A persistent v5 session whose client accepts packets of at most 100 bytes. */
    private static MqttConnectMessage smallPackets(String clientId) {
        return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(clientId).cleanSession(false)
            .keepAlive(60).properties(RawClient.properties(
                new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 3600),
                new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 100))).build();
    }
}
