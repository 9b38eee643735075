package net.lightqueue.dispatch;

import net.lightqueue.dispatch.event.SystemTopics;
import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.topic.TopicValidator;

/**
 * The system topic for messages the protocol plugin publishes itself under its own MQTT
 * topics, such as {@code $SYS/broker/uptime}. Its messages carry
 * their MQTT topic in {@link MqttMessageProperties#ORIGIN_MQTT_TOPIC}; the dispatcher matches
 * them like any publication, under any MQTT topic they name (see {@link MqttMessageProperties}),
 * while RocketMQ clients cannot send to it ({@link net.lightqueue.dispatch.event.ClientSendGuard}).
 */
public final class PublicationTopic {

    public static final String NAME = TopicValidator.SYSTEM_TOPIC_PREFIX + "mqtt_sys";

    private PublicationTopic() {
    }

    public static void ensureExists(TopicConfigManager topics) {
        SystemTopics.ensureExists(topics, NAME);
    }
}
