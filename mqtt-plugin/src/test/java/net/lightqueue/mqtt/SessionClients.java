package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.Packets.assertReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Raw-socket steps of the session tests: connecting with session options, subscribing, acknowledging. */
final class SessionClients {

    private SessionClients() {
    }

    /** A v5 CONNECT with a Session Expiry Interval. */
    static MqttConnectMessage connectV5(String clientId, boolean cleanStart, long expirySeconds) {
        return MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(clientId)
            .cleanSession(cleanStart).keepAlive(60).properties(expiry(expirySeconds)).build();
    }

    static MqttProperties expiry(long seconds) {
        return RawClient.properties(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) seconds));
    }

    /** Connects and returns whether the server said a session is present; fails unless accepted. */
    static boolean connect(RawClient client, MqttConnectMessage connect) throws IOException {
        client.send(connect);
        MqttConnAckMessage connAck = (MqttConnAckMessage) client.read();
        Packets.assertConnAck(connAck, 0);
        return connAck.variableHeader().isSessionPresent();
    }

    static void subscribe(RawClient client, String filter, int qos) throws IOException {
        client.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.valueOf(qos), filter).build());
        assertEquals(MqttMessageType.SUBACK, client.read().fixedHeader().messageType());
    }

    /** Publishes at QoS 1 and waits for the PUBACK, so the message is stored. */
    static void publish(RawClient publisher, String topic, String payload, int packetId) throws IOException {
        publisher.send(Packets.publish(topic, 1, packetId, payload));
        assertReply(publisher.read(), MqttMessageType.PUBACK, packetId, 0);
    }

    static MqttPublishMessage nextPublish(RawClient client) throws IOException {
        MqttMessage message = client.read();
        assertNotNull(message, "expected PUBLISH, the server closed the connection");
        return assertInstanceOf(MqttPublishMessage.class, message);
    }

    static String text(MqttPublishMessage publish) {
        return publish.payload().toString(StandardCharsets.UTF_8);
    }

    static void ack(RawClient client, MqttMessageType type, int packetId) throws IOException {
        client.send(ackPacket(type, packetId));
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP for the packet id. */
    static MqttMessage ackPacket(MqttMessageType type, int packetId) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(packetId));
    }

    static MqttMessage disconnect(int reasonCode) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, MqttProperties.NO_PROPERTIES));
    }
}
