package net.lightqueue.mqtt.publish;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import net.lightqueue.dispatch.topic.Topics;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Maps an MQTT topic to the RocketMQ topic (its first level) and queue (a hash of the MQTT
 * topic, so one MQTT topic keeps its order in one queue), creating the RocketMQ topic when
 * auto-creation is on.
 */
public final class RocketTopics {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.publish");

    /** Where a publish goes, or why it cannot. */
    public record Target(String topic, int queueId, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final TopicConfigManager topicConfigs;
    private final BrokerController broker;
    private final boolean autoCreate;
    private final Executor registration;
    private final Set<String> loggedProblems = ConcurrentHashMap.newKeySet();

    /** @param registration runs the name server registration of created topics, which may block */
    public RocketTopics(BrokerController broker, boolean autoCreate, Executor registration) {
        this.broker = broker;
        this.topicConfigs = broker.getTopicConfigManager();
        this.autoCreate = autoCreate;
        this.registration = registration;
    }

    public Target resolve(String mqttTopic) {
        String topic = Topics.firstLevel(mqttTopic);
        TopicConfig config = topicConfigs.selectTopicConfig(topic);
        if (config == null) {
            String problem = creationProblem(topic);
            if (problem != null) {
                logOnce(topic, problem);
                return new Target(topic, -1, problem);
            }
            config = create(topic);
        }
        if (!PermName.isWriteable(config.getPerm()) || config.getWriteQueueNums() <= 0) {
            String problem = "RocketMQ topic '" + topic + "' is not writable";
            logOnce(topic, problem);
            return new Target(topic, -1, problem);
        }
        return new Target(topic, Math.floorMod(mqttTopic.hashCode(), config.getWriteQueueNums()), null);
    }

    private String creationProblem(String topic) {
        TopicValidator.ValidateResult valid = TopicValidator.validateTopic(topic);
        if (!valid.isValid()) {
            return "first level '" + topic + "' is not a valid RocketMQ topic: " + valid.getRemark();
        }
        if (TopicValidator.isSystemTopic(topic) || TopicValidator.isNotAllowedSendTopic(topic)) {
            return "first level '" + topic + "' is a RocketMQ system topic";
        }
        if (!autoCreate) {
            return "RocketMQ topic '" + topic + "' does not exist and mqttAutoCreateTopics=false";
        }
        return null;
    }

    private TopicConfig create(String topic) {
        int queues = broker.getBrokerConfig().getDefaultTopicQueueNums();
        TopicConfig created = topicConfigs.createTopicIfAbsent(
            new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE), false);
        LOG.info("created RocketMQ topic '{}' with {} queues for MQTT publishes", topic, queues);
        // Registration may wait on the name servers; never on an event loop.
        registration.execute(() -> broker.registerIncrementBrokerData(created, topicConfigs.getDataVersion()));
        return created;
    }

    private void logOnce(String topic, String problem) {
        if (loggedProblems.size() < 10_000 && loggedProblems.add(topic)) {
            LOG.warn("MQTT publishes to '{}/...' are refused: {}", topic, problem);
        }
    }
}
