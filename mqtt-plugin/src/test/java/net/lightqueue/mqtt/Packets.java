package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import java.nio.charset.StandardCharsets;

/** Packets and expectations shared by the raw-socket tests and the broker-free flow tests. */
public final class Packets {

    private Packets() {
    }

    public static MqttPublishMessage publish(String topic, int qos, int packetId, byte[] payload, MqttProperties properties) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
            new MqttPublishVariableHeader(topic, packetId, properties), Unpooled.wrappedBuffer(payload));
    }

    public static MqttPublishMessage publish(String topic, int qos, int packetId, String payload) {
        return publish(topic, qos, packetId, payload.getBytes(StandardCharsets.UTF_8), MqttProperties.NO_PROPERTIES);
    }

    /** The same PUBLISH sent again, with DUP set [MQTT-3.3.1-1]. */
    public static MqttPublishMessage resend(String topic, int qos, int packetId, String payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, true, MqttQoS.valueOf(qos), false, 0),
            new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
            Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)));
    }

    public static MqttMessage pubRel(int packetId) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
            new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES));
    }

    public static void assertConnAck(MqttMessage message, int returnCode) {
        assertNotNull(message, "expected CONNACK, the server closed the connection");
        assertEquals(returnCode & 0xFF, ((MqttConnAckMessage) message).variableHeader().connectReturnCode().byteValue() & 0xFF);
    }

    /** A PUBACK, PUBREC or PUBCOMP with its packet id and reason code. */
    public static void assertReply(MqttMessage message, MqttMessageType type, int packetId, int reasonCode) {
        assertNotNull(message, "expected " + type + ", the server closed the connection");
        assertEquals(type, message.fixedHeader().messageType());
        MqttPubReplyMessageVariableHeader header = (MqttPubReplyMessageVariableHeader) message.variableHeader();
        assertEquals(packetId, header.messageId());
        assertEquals(reasonCode & 0xFF, header.reasonCode() & 0xFF);
    }

    public static void assertDisconnect(MqttMessage message, int reasonCode) {
        assertNotNull(message, "expected DISCONNECT, the server closed the connection without one");
        assertEquals(MqttMessageType.DISCONNECT, message.fixedHeader().messageType());
        assertEquals(reasonCode & 0xFF,
            ((MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader()).reasonCode() & 0xFF);
    }
}
