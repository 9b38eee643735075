package net.lightqueue.dispatch.event;

import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Creation of the plugin's system topics: readable, not writable by clients. Without
 * {@link PermName#PERM_WRITE} their routes offer producers no queue; {@link ClientSendGuard}
 * refuses a producer that names a queue itself. The plugin writes them through the message
 * store, which checks no permission.
 */
public final class SystemTopics {

    private static final Logger LOG = LoggerFactory.getLogger(SystemTopics.class);

    private SystemTopics() {
    }

    /**
     * Creates a one-queue, read-only topic config on this broker if it has none (it then shows
     * in mqadmin), and takes write permission from one that has it (created by an earlier
     * version, or by an operator). One queue keeps the topic's messages in commitlog order in
     * its consume queue too.
     */
    public static void ensureExists(TopicConfigManager topics, String name) {
        TopicConfig config = topics.selectTopicConfig(name);
        if (config == null) {
            topics.createTopicIfAbsent(new TopicConfig(name, 1, 1, PermName.PERM_READ), false);
        } else if (PermName.isWriteable(config.getPerm())) {
            TopicConfig readOnly = new TopicConfig(config);
            readOnly.setPerm(config.getPerm() & ~PermName.PERM_WRITE);
            topics.updateTopicConfig(readOnly);
            LOG.warn("RocketMQ topic '{}' was writable by clients; it is read-only now: only the MQTT plugin "
                + "writes there", name);
        }
    }
}
