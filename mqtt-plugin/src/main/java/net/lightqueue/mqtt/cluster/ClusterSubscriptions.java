package net.lightqueue.mqtt.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.host.log.OncePerKey;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The cluster-wide filter set: a subscription made here becomes a subscription event in every
 * broker group's commitlog, so each group indexes its own publishes for it from its own known
 * position. A change completes once this broker applied it and every peer answered or timed
 * out; a peer that missed it gets the subscriptions of this broker's sessions again when it
 * is back ({@link FilterSetSync}).
 */
public final class ClusterSubscriptions implements SubscriptionTable {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");

    private final SubscriptionTable local;
    private final PeerNetwork network;
    private final MqttSettings settings;
    private final OncePerKey missed = new OncePerKey(1024);

    public ClusterSubscriptions(SubscriptionTable local, PeerNetwork network, MqttSettings settings) {
        this.local = local;
        this.network = network;
        this.settings = settings;
    }

    @Override
    public CompletableFuture<Subscription> subscribe(String subscriberId, String filter, byte[] options) {
        CompletableFuture<Void> peers = broadcast(PeerCodes.SUBSCRIBE,
            PeerMessages.subscribe(subscriberId, List.of(new PeerMessages.FilterOptions(filter, options))));
        return local.subscribe(subscriberId, filter, options).thenCombine(peers, (applied, done) -> applied);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String subscriberId, String filter) {
        CompletableFuture<Void> peers = broadcast(PeerCodes.UNSUBSCRIBE,
            PeerMessages.clientFilters(subscriberId, List.of(filter)));
        return local.unsubscribe(subscriberId, filter).thenCombine(peers, (applied, done) -> null);
    }

    @Override
    public CompletableFuture<Void> unsubscribeAll(String subscriberId) {
        CompletableFuture<Void> peers = broadcast(PeerCodes.UNSUBSCRIBE_ALL, PeerMessages.clientFilters(subscriberId, List.of()));
        return local.unsubscribeAll(subscriberId).thenCombine(peers, (applied, done) -> null);
    }

    @Override
    public List<SubscriptionRecord> subscriptionsOf(String subscriberId) {
        return local.subscriptionsOf(subscriberId);
    }

    @Override
    public long subscriptionCount() {
        return local.subscriptionCount();
    }

    /** Sends the change to every peer; completes when each answered or failed, never exceptionally. */
    private CompletableFuture<Void> broadcast(int code, byte[] body) {
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (Peer peer : network.peers()) {
            answers.add(network.call(peer, code, body, settings.peerTimeoutMs()).exceptionally(failure -> {
                if (missed.first(peer.brokerName())) {
                    LOG.warn("MQTT peer {} missed a subscription change ({}); this broker sends its sessions' "
                        + "subscriptions again when the peer is back", peer.brokerName(), failure.toString());
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
    }
}
