package net.lightqueue.dispatch;

import java.util.Map;

/**
 * How a commitlog message maps to an MQTT topic. A message published over MQTT carries its
 * topic in {@code originMqttTopic} (the name apache/rocketmq-mqtt uses, so its consumers keep
 * working). A message from a plain RocketMQ producer without that property is seen by MQTT
 * subscribers under its RocketMQ topic name: a producer sending to {@code home} reaches
 * subscribers of {@code home}, {@code home/#}, {@code +} and {@code #}. Either kind becomes the
 * retained message of its MQTT topic with {@link #RETAIN}.
 */
public final class MqttMessageProperties {

    public static final String ORIGIN_MQTT_TOPIC = "originMqttTopic";
    /**
     * "true" makes the message the retained message of its MQTT topic (an empty body deletes
     * it); set by the MQTT plugin for a PUBLISH with RETAIN, and by any RocketMQ producer that
     * wants the same.
     */
    public static final String RETAIN = "mqttRetain";

    private MqttMessageProperties() {
    }

    public static String mqttTopic(String rocketmqTopic, Map<String, String> properties) {
        String origin = properties == null ? null : properties.get(ORIGIN_MQTT_TOPIC);
        return origin != null ? origin : rocketmqTopic;
    }

    public static boolean retained(Map<String, String> properties) {
        return properties != null && "true".equals(properties.get(RETAIN));
    }
}
