package net.lightqueue.dispatch.event;

import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;

/** Creation of the plugin's system topics. */
public final class SystemTopics {

    private SystemTopics() {
    }

    /**
     * Creates a one-queue topic config on this broker if it has none (it then shows in mqadmin).
     * One queue keeps the topic's messages in commitlog order in its consume queue too.
     */
    public static void ensureExists(TopicConfigManager topics, String name) {
        if (topics.selectTopicConfig(name) == null) {
            topics.createTopicIfAbsent(new TopicConfig(name, 1, 1, PermName.PERM_READ | PermName.PERM_WRITE), false);
        }
    }
}
