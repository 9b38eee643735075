package net.lightqueue.dispatch.engine;

import java.util.Map;
import net.lightqueue.dispatch.PublicationTopic;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.sysflag.MessageSysFlag;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.store.DispatchRequest;

/** What the dispatcher does with a dispatched message. */
enum MessageKind {
    /** A filter event in the plugin's own event topic. */
    EVENT,
    /** A message for subscribers, also the plugin's own in its publication topic: matched against the live filters. */
    PUBLICATION,
    /**
     * A message in the plugin's event or publication topic that a RocketMQ client sent through
     * the broker: not the plugin's, never applied (see {@link #of}).
     */
    FORGED,
    /**
     * Not for subscribers: transaction halves and rollbacks (the commit is dispatched separately),
     * retry and dead-letter topics, the schedule and timer topics (a delayed message is
     * dispatched again when it reaches its real topic) and the broker's system topics.
     */
    IGNORED;

    /**
     * The plugin writes its events and publications straight into the message store, which
     * checks no permission, and creates both topics without client write permission, so the
     * broker refuses every client's send, reply and recall there. Should a client's message get
     * there anyway (an operator granted write permission, a half message or delayed message sent
     * while the topic was writable), it bears the mark of the broker's remote send path:
     * {@code SendMessageProcessor} sets {@link MessageConst#PROPERTY_CLUSTER} on every message
     * and batch it accepts, after the client's properties, and transaction commits, delayed and
     * timer messages copy the properties of the message sent. The plugin never sets it. The
     * mark is in the commitlog, so a slave tells the same.
     */
    static MessageKind of(DispatchRequest request, String eventTopic) {
        String topic = request.getTopic();
        boolean event = topic.equals(eventTopic);
        if (event || topic.equals(PublicationTopic.NAME)) {
            if (sentByClient(request.getPropertiesMap())) {
                return FORGED;
            }
            return event ? EVENT : PUBLICATION;
        }
        int transaction = MessageSysFlag.getTransactionValue(request.getSysFlag());
        if (transaction == MessageSysFlag.TRANSACTION_PREPARED_TYPE
            || transaction == MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
            return IGNORED;
        }
        if (topic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(MixAll.DLQ_GROUP_TOPIC_PREFIX)
            || TopicValidator.isSystemTopic(topic)) {
            return IGNORED;
        }
        return PUBLICATION;
    }

    private static boolean sentByClient(Map<String, String> properties) {
        return properties != null && properties.containsKey(MessageConst.PROPERTY_CLUSTER);
    }
}
