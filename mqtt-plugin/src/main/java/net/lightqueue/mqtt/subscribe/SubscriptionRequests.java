package net.lightqueue.mqtt.subscribe;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.cluster.ClusterRetained;
import net.lightqueue.mqtt.codec.InputProblem;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.delivery.RetainedSource;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.session.Session;
import net.lightqueue.mqtt.shared.ShareName;
import net.lightqueue.mqtt.shared.SharedGroups;
import net.lightqueue.mqtt.topic.ReservedTopics;
import net.lightqueue.mqtt.topic.TopicNames;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE (MQTT 5 sections 3.8 to 3.11). A subscription takes effect where
 * the dispatcher applied it in the commitlog; SUBACK is sent after that, so every message
 * published after the SUBACK reaches the subscriber. The retained messages a subscription is owed
 * are looked up after SUBACK and sent before its queued messages.
 */
public final class SubscriptionRequests {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.subscribe");
    private static final int FAILURE_V3 = 0x80;

    private final MqttSettings settings;
    private final AccessControl access;
    private final ReservedTopics reserved;
    private final SubscriptionTable table;
    private final ClusterRetained retained;
    private final SharedGroups shared;

    public SubscriptionRequests(MqttSettings settings, AccessControl access, ReservedTopics reserved,
                                SubscriptionTable subscriptions, ClusterRetained retained, SharedGroups shared) {
        this.settings = settings;
        this.access = access;
        this.reserved = reserved;
        this.table = subscriptions;
        this.retained = retained;
        this.shared = shared;
    }

    public void subscribe(MqttConnection connection, Session session, MqttSubscribeMessage message) {
        int packetId = message.idAndPropertiesVariableHeader().messageId();
        MqttProperties properties = message.idAndPropertiesVariableHeader().properties();
        int subscriptionId = properties.getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())
            instanceof IntegerProperty id ? id.value() : 0;
        if (properties.getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) != null && subscriptionId == 0) {
            connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(), "subscription identifier 0");
            return;
        }
        List<MqttTopicSubscription> subscriptions = message.payload().topicSubscriptions();
        if (subscriptions.isEmpty()) {
            connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(), "SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
            return;
        }
        EventLoop loop = connection.channel().eventLoop();
        List<CompletableFuture<Integer>> codes = new ArrayList<>(subscriptions.size());
        Map<String, RetainedSource> owedRetained = new LinkedHashMap<>(); // touched on the event loop only
        for (MqttTopicSubscription subscription : subscriptions) {
            String filter = subscription.topicFilter();
            InputProblem problem = TopicNames.filterProblem(filter, settings.maxTopicLength());
            if (problem != null && problem.malformed()) {
                connection.disconnect(Disconnect.MALFORMED_PACKET.byteValue(), "SUBSCRIBE " + problem);
                return;
            }
            ShareName share = null;
            if (ShareName.isShared(filter)) {
                if (subscription.option().isNoLocal()) {
                    connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(),
                        "No Local on a shared subscription [MQTT-3.8.3-4]");
                    return;
                }
                InputProblem shareProblem = ShareName.problem(filter);
                if (shareProblem != null) {
                    codes.add(CompletableFuture.completedFuture(refusedShare(connection, filter, shareProblem)));
                    continue;
                }
                share = ShareName.parse(filter);
            }
            int refusal = refusal(connection, share == null ? filter : share.filter(), problem);
            if (refusal != 0) {
                codes.add(CompletableFuture.completedFuture(connection.isV5() ? refusal : FAILURE_V3));
                continue;
            }
            int granted = Math.min(subscription.option().qos().value(), MqttQoS.EXACTLY_ONCE.value());
            SubscriptionOptions options = SubscriptionOptions.of(subscription.option(), granted, subscriptionId);
            if (share != null) {
                ShareName group = share;
                codes.add(shared.subscribe(session.subscriberId(), group, options.encode())
                    .thenApplyAsync(applied -> {
                        session.join(group, options); // owes no retained messages (MQTT 5 section 4.8.2)
                        return granted;
                    }, loop)
                    .exceptionally(failure -> failed(connection, filter, failure)));
                continue;
            }
            // The retained messages are looked up once the subscription took effect everywhere, so
            // none published meanwhile is missed; they go out a page at a time, before the
            // subscription's queue.
            codes.add(table.subscribe(session.subscriberId(), filter, options.encode())
                .thenApplyAsync(applied -> {
                    boolean owes = RetainHandling.sendsRetained(options, !session.isSubscribed(filter));
                    session.subscribe(filter, options, applied.startOffset());
                    if (owes) {
                        owedRetained.put(filter, retained.matching(filter));
                    }
                    return granted;
                }, loop)
                .exceptionally(failure -> failed(connection, filter, failure)));
        }
        CompletableFuture.allOf(codes.toArray(CompletableFuture[]::new)).whenCompleteAsync((done, failure) -> {
            int[] reasonCodes = codes.stream().mapToInt(CompletableFuture::join).toArray();
            connection.send(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(reasonCodes)));
            owedRetained.forEach(session::oweRetained);
            session.wake();
        }, loop);
    }

    private int failed(MqttConnection connection, String filter, Throwable failure) {
        LOG.warn("mqtt {} could not subscribe to '{}': {}", connection, filter, failure.toString());
        return connection.isV5() ? MqttReasonCodes.SubAck.UNSPECIFIED_ERROR.byteValue() & 0xFF : FAILURE_V3;
    }

    /** A {@code $share/} filter that is no valid shared subscription is an invalid topic filter. */
    private int refusedShare(MqttConnection connection, String filter, InputProblem problem) {
        LOG.info("mqtt {} refused filter '{}': {}", connection, filter, problem);
        return connection.isV5() ? MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF : FAILURE_V3;
    }

    /**
     * The v5 reason code refusing a filter, or 0 when it may be subscribed.
     *
     * @param topicFilter the filter, or a shared subscription's filter without its {@code $share/group/}
     */
    private int refusal(MqttConnection connection, String topicFilter, InputProblem problem) {
        if (problem != null) {
            LOG.info("mqtt {} refused filter '{}': {}", connection, topicFilter, problem);
            return MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF;
        }
        String forbidden = reserved.subscribeProblem(topicFilter);
        if (forbidden != null) {
            LOG.info("mqtt {} may not subscribe to '{}': {}", connection, topicFilter, forbidden);
            return MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF;
        }
        if (!permitted(connection.accessClient(), topicFilter)) {
            return MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF;
        }
        return 0;
    }

    /**
     * Subscribing needs the SUB permission on the filter's first-level topic; a filter whose
     * first level is a wildcard may match any topic, so it needs the permission on every topic.
     */
    private boolean permitted(AccessControl.Client client, String topicFilter) {
        String firstLevel = Topics.firstLevel(topicFilter);
        return access.maySubscribe(client, Topics.isWildcard(firstLevel) ? null : RocketTopicNames.of(firstLevel));
    }

    /**
     * A resumed session keeps only the subscriptions its user may still have: one whose
     * permission was revoked meanwhile is removed, through the commitlog as an UNSUBSCRIBE
     * would be, with a log line. Call on the connection's event loop before the session
     * delivers; the client sees the refusal when it subscribes to the filter again.
     */
    public void dropRevoked(MqttConnection connection, Session session) {
        for (String filter : session.subscribedFilters()) {
            if (!permitted(connection.accessClient(), ShareName.topicFilter(filter))) {
                LOG.info("mqtt {} resumed without its subscription to '{}': permission revoked", connection, filter);
                remove(session, filter).exceptionally(failure -> {
                    LOG.warn("mqtt {} could not remove its subscription to '{}': {}", connection, filter, failure.toString());
                    return null;
                });
            }
        }
    }

    /** Stops the subscription at once and records its removal; null if there was none. */
    private CompletableFuture<Void> remove(Session session, String filter) {
        if (!session.unsubscribe(filter)) {
            return null;
        }
        return ShareName.isShared(filter)
            ? shared.unsubscribe(session.subscriberId(), ShareName.parse(filter))
            : table.unsubscribe(session.subscriberId(), filter);
    }

    public void unsubscribe(MqttConnection connection, Session session, MqttUnsubscribeMessage message) {
        int packetId = message.idAndPropertiesVariableHeader().messageId();
        List<String> filters = message.payload().topics();
        if (filters.isEmpty()) {
            connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(), "UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
            return;
        }
        List<CompletableFuture<Short>> codes = new ArrayList<>(filters.size());
        for (String filter : filters) {
            if (TopicNames.filterProblem(filter, settings.maxTopicLength()) != null) {
                codes.add(CompletableFuture.completedFuture(
                    (short) (MqttReasonCodes.UnsubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF)));
                continue;
            }
            CompletableFuture<Void> removed = remove(session, filter);
            if (removed == null) {
                codes.add(CompletableFuture.completedFuture(
                    (short) MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue()));
            } else {
                codes.add(removed
                    .thenApply(done -> (short) 0)
                    .exceptionally(failure -> {
                        LOG.warn("mqtt {} could not unsubscribe from '{}': {}", connection, filter, failure.toString());
                        return (short) (MqttReasonCodes.UnsubAck.UNSPECIFIED_ERROR.byteValue() & 0xFF);
                    }));
            }
        }
        CompletableFuture.allOf(codes.toArray(CompletableFuture[]::new)).whenCompleteAsync((done, failure) ->
            connection.send(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes.stream().map(CompletableFuture::join).toList()))),
            connection.channel().eventLoop());
    }
}
