package net.lightqueue.mqtt.session;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.mqtt.persistence.WillRecord;
import net.lightqueue.mqtt.publish.MessageWriter;
import net.lightqueue.mqtt.publish.RocketTopics;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/** Publishes wills through the same path as client publishes: same topic mapping, same stored form. */
public final class WillPublisher {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.session");

    private final RocketTopics topics;
    private final MessageWriter writer;
    private final InetSocketAddress bornHost;

    /** @param bornHost the broker's own address: the client that left the will is gone */
    public WillPublisher(RocketTopics topics, MessageWriter writer, InetSocketAddress bornHost) {
        this.topics = topics;
        this.writer = writer;
        this.bornHost = bornHost;
    }

    /** Completes once the will is stored or refused (refusals are logged: nobody is left to tell). */
    CompletableFuture<Void> publish(String clientId, WillRecord will) {
        RocketTopics.Target target = topics.resolve(will.topic());
        if (!target.ok()) {
            LOG.warn("will of client '{}' to '{}' not published: {}", clientId, will.topic(), target.problem());
            return CompletableFuture.completedFuture(null);
        }
        return writer.write(target, will.topic(), will.payload(), will.properties(), bornHost).thenAccept(outcome -> {
            if (!outcome.ok()) {
                LOG.warn("will of client '{}' to '{}' not stored: {}", clientId, will.topic(), outcome.status());
            }
        });
    }
}
