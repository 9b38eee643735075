package net.lightqueue.mqtt.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.List;
import net.lightqueue.dispatch.StoredMessage;
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

    static MqttPublishMessage build(String topicName, int qos, boolean retain, boolean dup, int packetId,
                                    MqttProperties properties, ByteBuf payload) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topicName, qos > 0 ? packetId : -1, properties),
            payload);
    }
}
