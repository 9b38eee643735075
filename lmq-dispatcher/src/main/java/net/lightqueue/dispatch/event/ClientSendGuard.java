package net.lightqueue.dispatch.event;

import java.util.Set;
import net.lightqueue.host.log.OncePerKey;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.mqtrace.SendMessageContext;
import org.apache.rocketmq.broker.mqtrace.SendMessageHook;
import org.apache.rocketmq.common.AbortProcessException;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.remoting.protocol.ResponseCode;

/**
 * Refuses RocketMQ clients' sends to the plugin's own topics. The broker checks no topic
 * permission on a send (5.5 checks the broker's, and its fixed set of topics clients may not
 * send to), and a client that names the queue itself skips its route's permission; but every
 * send, batch send and reply passes the send hooks first, and a hook's
 * {@link AbortProcessException} becomes the client's answer, here {@code NO_PERMISSION}. The
 * plugin writes these topics through the message store, which runs no send hook.
 */
public final class ClientSendGuard implements SendMessageHook {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSendGuard.class);

    private final Set<String> topics;
    /** Senders already logged, by topic and producer group: one line each, bounded. */
    private final OncePerKey logged = new OncePerKey(1_000);

    private ClientSendGuard(Set<String> topics) {
        this.topics = Set.copyOf(topics);
    }

    /** Installs the guard; call before the broker serves clients (from a plugin's start). */
    public static void install(BrokerController broker, Set<String> topics) {
        broker.registerSendMessageHook(new ClientSendGuard(topics));
    }

    @Override
    public String hookName() {
        return "lightqueue-mqtt-state-topics";
    }

    @Override
    public void sendMessageBefore(SendMessageContext context) {
        if (context.getTopic() != null && topics.contains(context.getTopic())) {
            if (logged.first(context.getTopic() + ' ' + context.getProducerGroup())) {
                LOG.warn("refused sends to '{}' from {} (producer group '{}'): only the MQTT plugin writes there",
                    context.getTopic(), context.getBornHost(), context.getProducerGroup());
            }
            throw new AbortProcessException(ResponseCode.NO_PERMISSION,
                "the topic[" + context.getTopic() + "] is written by the MQTT plugin only");
        }
    }

    @Override
    public void sendMessageAfter(SendMessageContext context) {
    }
}
