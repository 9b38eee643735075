package net.lightqueue.mqtt.publish;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;

/** Topic aliases a v5 client set up for its PUBLISH packets, valid for the connection's lifetime. */
final class InboundTopicAliases {

    /** The topic a PUBLISH is for, or the DISCONNECT reason code and why not. */
    record Resolution(String topic, byte reasonCode, String problem) {
        static Resolution of(String topic) {
            return new Resolution(topic, (byte) 0, null);
        }

        static Resolution failed(Disconnect reason, String problem) {
            return new Resolution(null, reason.byteValue(), problem);
        }
    }

    private final String[] topicsByAlias;

    /** @param maximum the Topic Alias Maximum the server announced (0 for v3 clients: no aliases) */
    InboundTopicAliases(int maximum) {
        this.topicsByAlias = new String[maximum + 1];
    }

    Resolution resolve(String topicName, MqttProperties properties) {
        if (!(properties.getProperty(MqttPropertyType.TOPIC_ALIAS.value()) instanceof IntegerProperty aliasProperty)) {
            return topicName.isEmpty()
                ? Resolution.failed(Disconnect.PROTOCOL_ERROR, "empty topic name without a topic alias")
                : Resolution.of(topicName);
        }
        int alias = aliasProperty.value();
        if (alias <= 0 || alias >= topicsByAlias.length) {
            return Resolution.failed(Disconnect.TOPIC_ALIAS_INVALID,
                "topic alias " + alias + " outside 1.." + (topicsByAlias.length - 1));
        }
        if (!topicName.isEmpty()) {
            topicsByAlias[alias] = topicName;
            return Resolution.of(topicName);
        }
        String topic = topicsByAlias[alias];
        return topic != null ? Resolution.of(topic)
            : Resolution.failed(Disconnect.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
    }
}
