package net.lightqueue.dispatch.event;

import java.net.SocketAddress;
import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.common.topic.TopicValidator;

/**
 * The plugin's system topic for its events. Read-only for clients ({@link SystemTopics},
 * {@link ClientSendGuard}); the dispatcher applies only events the plugin wrote. RocketMQ
 * reserves the {@code rmq_sys_} prefix, and the broker's LMQ multi-dispatch leaves it alone. One queue, so
 * the events of all subscribers are in commitlog order in one consume queue too.
 */
public final class EventTopic {

    public static final String NAME = TopicValidator.SYSTEM_TOPIC_PREFIX + "mqtt_events";
    static final String TAG = "event";

    private EventTopic() {
    }

    /** Creates the topic's config on this broker if it has none (it then shows in mqadmin). */
    public static void ensureExists(TopicConfigManager topics) {
        SystemTopics.ensureExists(topics, NAME);
    }

    /** A message carrying one encoded event, ready for {@code MessageStore.asyncPutMessage}. */
    public static MessageExtBrokerInner message(byte[] event, SocketAddress brokerAddress) {
        MessageExtBrokerInner message = new MessageExtBrokerInner();
        message.setTopic(NAME);
        message.setQueueId(0);
        message.setBody(event);
        // The broker's put hooks expect properties; a tag also lets 'mqadmin' tell events apart.
        message.setTags(TAG);
        message.setTagsCode(MessageExtBrokerInner.tagsString2tagsCode(TAG));
        long now = System.currentTimeMillis();
        message.setBornTimestamp(now);
        message.setBornHost(brokerAddress);
        message.setStoreHost(brokerAddress);
        message.setPropertiesString(MessageDecoder.messageProperties2String(message.getProperties()));
        return message;
    }
}
