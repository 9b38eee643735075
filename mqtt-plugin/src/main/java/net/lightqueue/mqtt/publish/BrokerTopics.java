package net.lightqueue.mqtt.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** Topics created but not yet written to the broker's topic config file. */
    private final Queue<TopicConfig> unsaved = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean saveScheduled = new AtomicBoolean();
    private final Object creating = new Object();

    /** @param registration saves created topics and registers them with the name servers, which may block */
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

    /**
     * Puts the topic into the broker's topic table at once; the table is written to disk and the
     * new topics registered with the name servers afterwards, off the event loop, once for all
     * the topics created meanwhile. RocketMQ's own createTopicIfAbsent writes the whole table per
     * topic: 1,000 new devices publishing each to a first level of its own waited about 10 s.
     * A crash before the write loses only the config, which the next publish creates again.
     */
    private TopicConfig create(String topic) {
        TopicConfig created;
        // Event loops meeting a new first level at once create it once: a second put would replace
        // the config the first publishes were routed by. Rare (once per topic), so a lock is cheap.
        synchronized (creating) {
            TopicConfig existing = topicConfigs.selectTopicConfig(topic);
            if (existing != null) {
                return existing;
            }
            int queues = broker.getBrokerConfig().getDefaultTopicQueueNums();
            created = new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
            topicConfigs.putTopicConfig(created);
            topicConfigs.updateDataVersion();
        }
        LOG.info("created RocketMQ topic '{}' with {} queues for MQTT publishes", topic, created.getWriteQueueNums());
        unsaved.add(created);
        if (saveScheduled.compareAndSet(false, true)) {
            // Saving and registering may wait on the disk and the name servers; never on an event loop.
            registration.execute(this::saveCreated);
        }
        return created;
    }

    private void saveCreated() {
        saveScheduled.set(false);
        List<TopicConfig> batch = new ArrayList<>();
        for (TopicConfig config = unsaved.poll(); config != null; config = unsaved.poll()) {
            batch.add(config);
        }
        if (!batch.isEmpty()) {
            topicConfigs.persist();
            broker.registerIncrementBrokerData(batch, topicConfigs.getDataVersion());
        }
    }

    private Target refused(String topic, String problem) {
        if (loggedProblems.first(topic)) {
            LOG.warn("MQTT publishes to RocketMQ topic '{}' are refused: {}", topic, problem);
        }
        return new Target(topic, -1, problem, false);
    }
}
