package net.lightqueue.mqtt.delivery;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.codec.PacketSize;
import net.lightqueue.mqtt.message.StoredProperties;

/** Builds the PUBLISH packet of one stored message for one subscription of one client. */
final class OutboundPublish {

    private OutboundPublish() {
    }

    /**
     * The MQTT 5 properties of the delivery: the stored ones, the remaining expiry interval
     * and the identifiers of the subscriptions it is for.
     *
     * @param remainingSeconds of {@link #remainingSeconds}, for a message not expired
     */
    static MqttProperties properties(StoredMessage message, List<Integer> subscriptionIds, long remainingSeconds) {
        MqttProperties properties = StoredProperties.toMqtt(message.properties());
        if (remainingSeconds > 0) {
            // The client is told what is left, not what was published [MQTT-3.3.2-6].
            properties.add(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) remainingSeconds));
        }
        // One per matching subscription [MQTT-3.3.4-4].
        for (int subscriptionId : subscriptionIds) {
            properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), subscriptionId));
        }
        return properties;
    }

    /**
     * Seconds left of the message's expiry interval, counted from when it was stored: 0 once
     * expired, -1 when it never expires.
     */
    static long remainingSeconds(StoredMessage message, long nowMillis) {
        long interval = StoredProperties.expiryIntervalSeconds(message.properties());
        return interval < 0 ? -1 : Math.max(0, interval - (nowMillis - message.storeTimestamp()) / 1000);
    }

    /**
     * The size of the encoded PUBLISH, to respect the client's Maximum Packet Size [MQTT-3.1.2-24].
     *
     * @throws IllegalArgumentException if a string is too long to be encoded
     */
    static int size(String topicName, int qos, MqttProperties properties, int payloadLength, boolean v5) {
        int remaining = 2 + utf8(topicName) + (qos > 0 ? 2 : 0) + payloadLength;
        if (v5) {
            int propertiesLength = propertiesLength(properties);
            remaining += PacketSize.variableByteIntegerSize(propertiesLength) + propertiesLength;
        }
        return PacketSize.wholePacket(remaining);
    }

    static MqttPublishMessage build(String topicName, int qos, boolean retain, boolean dup, int packetId,
                                    MqttProperties properties, byte[] payload) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topicName, qos > 0 ? packetId : -1, properties),
            Unpooled.wrappedBuffer(payload));
    }

    private static int propertiesLength(MqttProperties properties) {
        int length = 0;
        for (MqttProperty<?> property : properties.listAll()) {
            int id = property.propertyId();
            if (property instanceof UserProperties user) {
                for (StringPair pair : user.value()) {
                    length += 1 + 2 + utf8(pair.key) + 2 + utf8(pair.value);
                }
            } else if (property instanceof StringProperty text) {
                length += 1 + 2 + utf8(text.value());
            } else if (property instanceof BinaryProperty binary) {
                length += 1 + 2 + binary.value().length;
            } else if (property instanceof IntegerProperty integer) {
                length += 1 + integerLength(id, integer.value());
            }
        }
        return length;
    }

    private static int integerLength(int id, int value) {
        if (id == MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()) {
            return 1;
        }
        if (id == MqttPropertyType.TOPIC_ALIAS.value()) {
            return 2;
        }
        if (id == MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) {
            return PacketSize.variableByteIntegerSize(value);
        }
        return 4;
    }

    /** The UTF-8 length of a string of the packet; longer than an MQTT string can be is an error. */
    private static int utf8(String text) {
        int length = text.getBytes(StandardCharsets.UTF_8).length;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a string of " + length + " UTF-8 bytes, more than MQTT's 65535");
        }
        return length;
    }
}
