package net.lightqueue.dispatch.engine;

import net.lightqueue.dispatch.PublicationTopic;
import org.apache.rocketmq.common.MixAll;
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
     * Not for subscribers: transaction halves and rollbacks (the commit is dispatched separately),
     * retry and dead-letter topics, the schedule and timer topics (a delayed message is
     * dispatched again when it reaches its real topic) and the broker's system topics.
     */
    IGNORED;

    static MessageKind of(DispatchRequest request, String eventTopic) {
        String topic = request.getTopic();
        if (topic.equals(eventTopic)) {
            return EVENT;
        }
        if (topic.equals(PublicationTopic.NAME)) {
            return PUBLICATION;
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
}
