package net.lightqueue.dispatch;

import java.util.Map;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import net.lightqueue.dispatch.topic.Topics;

/**
 * How a commitlog message maps to an MQTT topic. A message published over MQTT carries its
 * topic in {@code originMqttTopic} (the name apache/rocketmq-mqtt uses, so its consumers keep
 * working), in the RocketMQ topic {@link RocketTopicNames#ofTopic} gives for it. A message
 * from a plain RocketMQ producer without that property is seen by MQTT subscribers under the
 * first level its RocketMQ topic is the name of: a producer sending to {@code home} reaches
 * subscribers of {@code home}, {@code home/#}, {@code +} and {@code #}; one sending to
 * {@code spBv1%2E0} reaches subscribers of {@code spBv1.0} and {@code spBv1.0/#}.
 *
 * <p>A producer stays within its RocketMQ topic (and so within its ACL): an
 * {@code originMqttTopic} counts only if it lies under the message's RocketMQ topic, else the
 * message is seen under the RocketMQ topic's first level as if it had none. {@code $SYS}
 * topics are the broker's own: only the plugin's {@link PublicationTopic}, which RocketMQ
 * clients cannot write, carries them (and any other MQTT topic, since the plugin names them).
 * Either kind becomes the retained message of its MQTT topic with {@link #RETAIN}.
 */
public final class MqttMessageProperties {

    public static final String ORIGIN_MQTT_TOPIC = "originMqttTopic";
    /**
     * "true" makes the message the retained message of its MQTT topic (an empty body deletes
     * it); set by the MQTT plugin for a PUBLISH with RETAIN, and by any RocketMQ producer that
     * wants the same.
     */
    public static final String RETAIN = "mqttRetain";
    /** The first level of the topics of the broker's own status messages. */
    public static final String BROKER_STATUS_LEVEL = "$SYS";

    private MqttMessageProperties() {
    }

    /**
     * The MQTT topic subscribers see the message under, or null if they see none: a RocketMQ
     * topic that is no first level's name (a hashed long name, {@code $SYS}, a name with a
     * {@code %} that is no escape) and the message brings no {@code originMqttTopic} under it.
     */
    public static String mqttTopic(String rocketmqTopic, Map<String, String> properties) {
        String origin = origin(properties);
        if (rocketmqTopic.equals(PublicationTopic.NAME)) {
            return origin;
        }
        if (origin != null && isUnder(origin, rocketmqTopic)) {
            return origin;
        }
        return RocketTopicNames.firstLevelOf(rocketmqTopic).filter(level -> !isBrokerStatus(level)).orElse(null);
    }

    /** The {@code originMqttTopic} a message claims, whether or not it counts. */
    public static String origin(Map<String, String> properties) {
        return properties == null ? null : properties.get(ORIGIN_MQTT_TOPIC);
    }

    /** Whether the MQTT topic belongs in the RocketMQ topic, and a producer there may name it. */
    private static boolean isUnder(String mqttTopic, String rocketmqTopic) {
        String firstLevel = Topics.firstLevel(mqttTopic);
        if (isBrokerStatus(firstLevel)) {
            return false;
        }
        // The mapping is injective and keeps every name it needs not escape: without a '%' in the
        // RocketMQ topic, comparing names is enough, and the hot path skips the encoding.
        return rocketmqTopic.indexOf('%') < 0 ? firstLevel.equals(rocketmqTopic)
            : RocketTopicNames.of(firstLevel).equals(rocketmqTopic);
    }

    private static boolean isBrokerStatus(String firstLevel) {
        return firstLevel.equals(BROKER_STATUS_LEVEL);
    }

    public static boolean retained(Map<String, String> properties) {
        return properties != null && "true".equals(properties.get(RETAIN));
    }
}
