package net.lightqueue.dispatch.engine;

import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.host.log.OncePerKey;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The dispatcher's warnings about messages it does not deliver as they ask: one line per
 * RocketMQ topic and kind of problem (bounded), so a producer repeating itself floods nothing.
 */
final class DispatchWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchWarnings.class);
    private final OncePerKey warned = new OncePerKey(10_000);

    /** A RocketMQ client's message in the plugin's event or publication topic. */
    void forged(String rocketmqTopic, long offset) {
        if (first("forged", rocketmqTopic)) {
            LOG.warn("message at commitlog offset {} in '{}' was sent by a RocketMQ client, not written by the "
                + "MQTT plugin: ignored, as are later ones there", offset, rocketmqTopic);
        }
    }

    /** A publication whose MQTT topic is not the one it claims, or that has none. */
    void unlikeItsOrigin(String rocketmqTopic, String origin, String mqttTopic) {
        if (mqttTopic == null && first("none", rocketmqTopic)) {
            LOG.warn("messages in RocketMQ topic '{}' without an {} under it reach no MQTT subscriber: the topic "
                + "name is no MQTT first level's (first seen: {}='{}')", rocketmqTopic,
                MqttMessageProperties.ORIGIN_MQTT_TOPIC, MqttMessageProperties.ORIGIN_MQTT_TOPIC, origin);
        } else if (mqttTopic != null && first("outside", rocketmqTopic)) {
            LOG.warn("a message in RocketMQ topic '{}' names {}='{}', which is not under that topic: delivered "
                + "under '{}' instead, as are later ones", rocketmqTopic, MqttMessageProperties.ORIGIN_MQTT_TOPIC,
                origin, mqttTopic);
        }
    }

    private boolean first(String kind, String rocketmqTopic) {
        return warned.first(kind + ' ' + rocketmqTopic);
    }
}
