package net.lightqueue.mqtt.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerListener;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.persistence.SessionStore;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * When a peer joins or comes back, sends it the subscriptions of the sessions this broker
 * holds, so it indexes its publishes for subscriptions it missed while it was away. Adding a
 * subscription a peer already has changes nothing there.
 */
public final class FilterSetSync implements PeerListener {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");

    private final PeerNetwork network;
    private final SubscriptionTable local;
    private final SessionStore store;
    private final MqttSettings settings;
    private final Executor executor;

    /** @param executor where the subscriptions are gathered, off the directory's thread */
    public FilterSetSync(PeerNetwork network, SubscriptionTable local, SessionStore store, MqttSettings settings,
                         Executor executor) {
        this.network = network;
        this.local = local;
        this.store = store;
        this.settings = settings;
        this.executor = executor;
    }

    @Override
    public void joined(Peer peer) {
        executor.execute(() -> sendSubscriptions(peer));
    }

    private void sendSubscriptions(Peer peer) {
        List<String> clientIds = new ArrayList<>();
        store.forEachSession((clientId, record) -> clientIds.add(clientId));
        int sent = 0;
        for (String clientId : clientIds) {
            List<PeerMessages.FilterOptions> filters = new ArrayList<>();
            for (SubscriptionRecord subscription : local.subscriptionsOf(clientId)) {
                filters.add(new PeerMessages.FilterOptions(subscription.filter(), subscription.options()));
            }
            if (!filters.isEmpty()) {
                sent += filters.size();
                network.call(peer, PeerCodes.SUBSCRIBE, PeerMessages.subscribe(clientId, filters), settings.peerTimeoutMs())
                    .exceptionally(failure -> {
                        LOG.warn("MQTT peer {} did not take the subscriptions of session '{}': {}", peer.brokerName(),
                            clientId, failure.toString());
                        return null;
                    });
            }
        }
        LOG.info("MQTT peer {} joined at {}; sent it {} subscriptions of {} sessions", peer.brokerName(), peer.address(),
            sent, clientIds.size());
    }

    @Override
    public void left(Peer peer) {
        LOG.info("MQTT peer {} at {} left; cursors on its queues read its slave, if it has one and mqttPeerSlaveReads is on,"
            + " else wait for it", peer.brokerName(), peer.address());
    }
}
