package net.lightqueue.mqtt.topic;

import java.util.Set;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import net.lightqueue.dispatch.topic.Topics;

/**
 * The MQTT topics no client may publish to, or subscribe to: those whose RocketMQ topic the
 * broker keeps for itself ({@link RocketTopicNames#isReserved}, and the topics named after this
 * broker's cluster and broker), whether or not the topic exists, so no MQTT client writes into
 * the schedule, transaction, trace or the plugin's own topics, nor reads them. {@code $SYS/...}
 * is the broker's own status: subscribed to by anyone, published to by the plugin alone.
 */
public final class ReservedTopics {

    private final Set<String> brokerTopics;

    public ReservedTopics(String clusterName, String brokerName) {
        this.brokerTopics = Set.of(clusterName, brokerName);
    }

    /**
     * Why an MQTT client may not publish (or leave its will) under the first level, or null if it may.
     *
     * @param rocketmqTopic the first level's RocketMQ topic ({@link RocketTopicNames#of}), which the caller has
     */
    public String publishProblem(String firstLevel, String rocketmqTopic) {
        if (firstLevel.equals(MqttMessageProperties.BROKER_STATUS_LEVEL)) {
            return "'$SYS/...' holds the broker's own status topics";
        }
        return reservedProblem(rocketmqTopic);
    }

    /** Why an MQTT client may not subscribe to the filter, or null if it may. */
    public String subscribeProblem(String filter) {
        String firstLevel = Topics.firstLevel(filter);
        return Topics.isWildcard(firstLevel) ? null : reservedProblem(RocketTopicNames.of(firstLevel));
    }

    private String reservedProblem(String rocketmqTopic) {
        if (RocketTopicNames.isReserved(rocketmqTopic) || brokerTopics.contains(rocketmqTopic)) {
            return "RocketMQ reserves the topic '" + rocketmqTopic + "' for itself";
        }
        return null;
    }
}
