package net.lightqueue.mqtt.publish;

import java.util.concurrent.Executor;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.host.log.OncePerKey;
import net.lightqueue.mqtt.topic.ReservedTopics;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Maps an MQTT topic to the RocketMQ topic ({@link RocketTopicNames}: its first level, encoded)
 * and queue (a hash of the MQTT topic, so one MQTT topic keeps its order in one queue) in the
 * broker's topic config, creating the RocketMQ topic when auto-creation is on. Topics RocketMQ
 * reserves are {@link Target#forbidden() forbidden}, whether or not they exist.
 */
public final class BrokerTopics implements RocketTopics {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.publish");

    private final TopicConfigManager topicConfigs;
    private final BrokerController broker;
    private final ReservedTopics reserved;
    private final boolean autoCreate;
    private final Executor registration;
    private final OncePerKey loggedProblems = new OncePerKey(10_000);

    /** @param registration runs the name server registration of created topics, which may block */
    public BrokerTopics(BrokerController broker, ReservedTopics reserved, boolean autoCreate, Executor registration) {
        this.broker = broker;
        this.topicConfigs = broker.getTopicConfigManager();
        this.reserved = reserved;
        this.autoCreate = autoCreate;
        this.registration = registration;
    }

    @Override
    public Target resolve(String mqttTopic) {
        String firstLevel = Topics.firstLevel(mqttTopic);
        String topic = RocketTopicNames.of(firstLevel);
        String forbidden = reserved.publishProblem(firstLevel, topic);
        if (forbidden != null) {
            return new Target(topic, -1, forbidden, true);
        }
        TopicConfig config = topicConfigs.selectTopicConfig(topic);
        if (config == null) {
            if (!autoCreate) {
                return refused(topic, "RocketMQ topic '" + topic + "' does not exist and mqttAutoCreateTopics=false");
            }
            config = create(topic);
        }
        if (!PermName.isWriteable(config.getPerm()) || config.getWriteQueueNums() <= 0) {
            return refused(topic, "RocketMQ topic '" + topic + "' is not writable");
        }
        return Target.of(topic, Math.floorMod(mqttTopic.hashCode(), config.getWriteQueueNums()));
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

    private Target refused(String topic, String problem) {
        if (loggedProblems.first(topic)) {
            LOG.warn("MQTT publishes to RocketMQ topic '{}' are refused: {}", topic, problem);
        }
        return new Target(topic, -1, problem, false);
    }
}
