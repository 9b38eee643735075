package net.lightqueue.mqtt.codec;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

/** PUBACK, PUBREC, PUBREL and PUBCOMP packets (the encoder drops a success reason code for v3). */
public final class Replies {

    private Replies() {
    }

    public static MqttMessage pubReply(MqttMessageType type, int packetId, byte reasonCode) {
        // PUBREL's fixed header carries QoS 1 [MQTT-3.6.1-1].
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
            new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
    }
}
