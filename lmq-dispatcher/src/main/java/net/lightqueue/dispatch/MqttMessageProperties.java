package net.lightqueue.dispatch;

import java.util.Map;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import net.lightqueue.dispatch.topic.Topics;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;

/**
 * The RocketMQ message properties of an MQTT message: their names, what is stored in them, and
 * how a commitlog message maps to an MQTT topic. These names are the contract with RocketMQ
 * producers and consumers and with existing stores: the MQTT plugin writes them, the dispatcher
 * indexes by {@link #ORIGIN_MQTT_TOPIC} and {@link #RETAIN}, and native clients may set or read
 * any of them. An empty value is never stored ({@link #putAll}): readers see it as absent.
 *
 * <p>A message published over MQTT carries its topic in {@code originMqttTopic} (the name
 * apache/rocketmq-mqtt uses, so its consumers keep working), in the RocketMQ topic
 * {@link RocketTopicNames#ofTopic} gives for it. A message from a plain RocketMQ producer
 * without that property is seen by MQTT subscribers under the first level its RocketMQ topic is
 * the name of: a producer sending to {@code home} reaches subscribers of {@code home},
 * {@code home/#}, {@code +} and {@code #}; one sending to {@code spBv1%2E0} reaches subscribers
 * of {@code spBv1.0} and {@code spBv1.0/#}.
 *
 * <p>A producer stays within its RocketMQ topic (and so within its ACL): an
 * {@code originMqttTopic} counts only if it lies under the message's RocketMQ topic, else the
 * message is seen under the RocketMQ topic's first level as if it had none. {@code $SYS}
 * topics are the broker's own: only the plugin's {@link PublicationTopic}, which RocketMQ
 * clients cannot write, carries them (and any other MQTT topic, since the plugin names them).
 * Either kind becomes the retained message of its MQTT topic with {@link #RETAIN}.
 */
public final class MqttMessageProperties {

    /** The MQTT topic, as published. */
    public static final String ORIGIN_MQTT_TOPIC = "originMqttTopic";
    /**
     * {@link #RETAIN_SET} makes the message the retained message of its MQTT topic (an empty
     * body deletes it); set by the MQTT plugin for a PUBLISH with RETAIN, and by any RocketMQ
     * producer that wants the same. Absent otherwise.
     */
    public static final String RETAIN = "mqttRetain";
    /** The value of {@link #RETAIN} that retains the message. */
    public static final String RETAIN_SET = "true";
    /** "0", "1" or "2": the QoS the publisher used. */
    public static final String QOS = "mqttQos";
    /** The publishing client's identifier (No Local needs it). */
    public static final String CLIENT_ID = "mqttClientId";
    /** User properties in order, duplicates kept: {@code k1=v1&k2=v2}, with '%', '=', '&' escaped as %XX. */
    public static final String USER_PROPERTIES = "mqttUserProperties";
    public static final String CONTENT_TYPE = "mqttContentType";
    public static final String RESPONSE_TOPIC = "mqttResponseTopic";
    /** Base64 (RFC 4648, with padding) of the correlation data. */
    public static final String CORRELATION_DATA = "mqttCorrelationData";
    /** Message Expiry Interval in seconds, counted from the message's store timestamp. */
    public static final String MESSAGE_EXPIRY_INTERVAL = "mqttMessageExpiryInterval";
    /** "0" (bytes) or "1" (UTF-8 text): the Payload Format Indicator. */
    public static final String PAYLOAD_FORMAT = "mqttPayloadFormat";
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

    /** Whether the message is to become the retained message of its MQTT topic. */
    public static boolean retained(Map<String, String> properties) {
        return properties != null && RETAIN_SET.equals(properties.get(RETAIN));
    }

    /**
     * Sets {@code properties} on a message to be stored, leaving out empty values: RocketMQ's
     * property encoding cannot carry one (its decoder drops it). A blank but non-empty value is
     * valid MQTT and is kept, which {@code Message.putUserProperty} would refuse.
     */
    public static void putAll(Message message, Map<String, String> properties) {
        properties.forEach((name, value) -> {
            if (!value.isEmpty()) {
                MessageAccessor.putProperty(message, name, value);
            }
        });
    }
}
