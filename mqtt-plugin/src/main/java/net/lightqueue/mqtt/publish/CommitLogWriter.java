package net.lightqueue.mqtt.publish;

import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import net.lightqueue.dispatch.MqttMessageProperties;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.store.MessageStore;
import org.apache.rocketmq.store.PutMessageStatus;

/**
 * Writes one MQTT publish into the commitlog through the broker's outermost store, and turns
 * the store's answer into an MQTT reason code.
 */
public final class CommitLogWriter implements MessageWriter {

    private final Supplier<MessageStore> store;
    private final SocketAddress storeHost;

    /** @param store the broker's outermost store, looked up per write so every store plugin sees the put */
    public CommitLogWriter(Supplier<MessageStore> store, InetSocketAddress storeHost) {
        this.store = store;
        this.storeHost = storeHost;
    }

    /**
     * The tag is the full MQTT topic, so a RocketMQ consumer can select MQTT topics with a tag
     * expression ({@code home/kitchen/temp || home/hall/temp}), filtered on the broker.
     */
    @Override
    public CompletableFuture<Outcome> write(RocketTopics.Target target, String mqttTopic, byte[] payload,
                                         Map<String, String> properties, SocketAddress bornHost) {
        MessageExtBrokerInner message = new MessageExtBrokerInner();
        message.setTopic(target.topic());
        message.setQueueId(target.queueId());
        message.setBody(payload);
        MqttMessageProperties.putAll(message, properties);
        message.setTags(mqttTopic);
        message.setTagsCode(MessageExtBrokerInner.tagsString2tagsCode(mqttTopic));
        message.setPropertiesString(MessageDecoder.messageProperties2String(message.getProperties()));
        long now = System.currentTimeMillis();
        message.setBornTimestamp(now);
        // The commitlog stores the born host as an IP address and port; a channel without one
        // (Netty's in-VM transport) would make the store throw, so it is recorded as the broker.
        message.setBornHost(bornHost instanceof InetSocketAddress ? bornHost : storeHost);
        message.setStoreHost(storeHost);
        return store.get().asyncPutMessage(message)
            .thenApply(result -> {
                PutMessageStatus status = result == null ? null : result.getPutMessageStatus();
                return new Outcome(reasonCode(status), String.valueOf(status));
            })
            .exceptionally(failure -> new Outcome(MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue(), failure.toString()));
    }

    static byte reasonCode(PutMessageStatus status) {
        if (status == PutMessageStatus.PUT_OK) {
            return 0;
        }
        if (status == PutMessageStatus.MESSAGE_ILLEGAL || status == PutMessageStatus.PROPERTIES_SIZE_EXCEEDED) {
            return MqttReasonCodes.PubAck.IMPLEMENTATION_SPECIFIC_ERROR.byteValue();
        }
        if (status == PutMessageStatus.OS_PAGE_CACHE_BUSY || status == PutMessageStatus.LMQ_CONSUME_QUEUE_NUM_EXCEEDED
            || status == PutMessageStatus.WHEEL_TIMER_FLOW_CONTROL) {
            return MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue();
        }
        return MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue();
    }
}
