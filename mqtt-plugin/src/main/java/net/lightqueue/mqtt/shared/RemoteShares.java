package net.lightqueue.mqtt.shared;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.host.log.OncePerKey;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The reading side: a session's membership takes part in the group at every peer through a
 * {@link RemoteSharedCursor}. Passes the peers' "ready" signals to the cursors, and keeps their
 * proxies alive with one {@link SharedCodes#ALIVE} per peer and period, whose answer also
 * makes up for a lost signal and rejoins proxies a restarted peer forgot.
 */
final class RemoteShares {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.shared");
    /** How often proxies are kept alive: well within {@link ProxyMembers#EXPIRY_MILLIS}. */
    static final long ALIVE_PERIOD_MILLIS = 5_000;

    private record Key(String peer, ShareMessages.MemberId member) {
    }

    private final PeerNetwork network;
    private final MqttSettings settings;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final ConcurrentMap<Key, RemoteSharedCursor> cursors = new ConcurrentHashMap<>();
    private final OncePerKey unreachable = new OncePerKey(1024);

    RemoteShares(PeerNetwork network, MqttSettings settings, ScheduledExecutorService timers, Clock clock) {
        this.network = network;
        this.settings = settings;
        this.timers = timers;
        this.clock = clock;
        network.handle(SharedCodes.READY, (from, body) -> {
            ShareMessages.members(body).forEach(member -> ready(from, member));
            return CompletableFuture.completedFuture(new byte[0]);
        });
    }

    void startKeepAlive() {
        timers.schedule(() -> {
            keepAlive();
            startKeepAlive();
        }, ALIVE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The membership's cursors on every peer's group of {@code share}. */
    List<Cursor> join(ShareName share, String clientId, SubscriptionOptions options, Inflight inflight, Runnable wake) {
        List<Cursor> joined = new ArrayList<>();
        ShareMessages.MemberId member = new ShareMessages.MemberId(share.name(), clientId);
        for (Peer peer : network.peers()) {
            RemoteSharedCursor cursor = new RemoteSharedCursor(peer, member, options, inflight, wake, this);
            // A session taking over on this broker may join before the one it replaces left: that one's
            // leaving removes the shared proxy, and this cursor's next take finds out and joins again.
            cursors.put(new Key(peer.brokerName(), member), cursor);
            cursor.open();
            joined.add(cursor);
        }
        return joined;
    }

    void closed(RemoteSharedCursor cursor) {
        cursors.remove(new Key(cursor.peerName(), cursor.member()), cursor);
    }

    private void ready(String peer, ShareMessages.MemberId member) {
        RemoteSharedCursor cursor = cursors.get(new Key(peer, member));
        if (cursor != null) {
            cursor.ready();
        }
    }

    private void keepAlive() {
        for (Peer peer : network.peers()) {
            List<RemoteSharedCursor> held = new ArrayList<>();
            List<ShareMessages.MemberId> members = new ArrayList<>();
            cursors.forEach((key, cursor) -> {
                if (key.peer().equals(peer.brokerName()) && cursor.joined()) {
                    held.add(cursor);
                    members.add(key.member());
                }
            });
            if (held.isEmpty()) {
                continue;
            }
            network.call(peer, SharedCodes.ALIVE, ShareMessages.members(members), settings.peerTimeoutMs())
                .thenAccept(body -> {
                    byte[] states = ShareMessages.states(body, held.size());
                    for (int i = 0; i < states.length; i++) {
                        held.get(i).state(states[i]);
                    }
                })
                .exceptionally(failure -> {
                    logUnreachable(peer, "keep-alive of " + held.size() + " shared subscription members", failure);
                    return null;
                });
        }
    }

    CompletableFuture<Void> join(Peer peer, ShareMessages.Take request) {
        return network.call(peer, SharedCodes.JOIN, ShareMessages.take(request), settings.peerTimeoutMs())
            .thenApply(body -> null);
    }

    /** The messages taken, or null when the peer holds no proxy of the member. */
    CompletableFuture<ReadResult> take(Peer peer, ShareMessages.Take request) {
        return network.call(peer, SharedCodes.TAKE, ShareMessages.take(request), settings.peerTimeoutMs())
            .thenApply(ShareMessages::taken);
    }

    CompletableFuture<Void> leave(Peer peer, ShareMessages.Take request) {
        return network.call(peer, SharedCodes.LEAVE, ShareMessages.take(request), settings.peerTimeoutMs())
            .handle((body, failure) -> {
                if (failure != null) {
                    logUnreachable(peer, "the leaving of member '" + request.member().clientId() + "' of '"
                        + request.member().share() + "' (its proxy expires there)", failure);
                }
                return null;
            });
    }

    /** The most messages one take asks for. */
    int batchSize() {
        return settings.deliveryBatchSize();
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Clock clock() {
        return clock;
    }

    private void logUnreachable(Peer peer, String what, Throwable failure) {
        if (unreachable.first(peer.brokerName())) {
            LOG.warn("MQTT peer {} unreachable for {}: {}", peer.brokerName(), what, failure.toString());
        }
    }

    /** Whether the peer holds members of the share: every peer is asked; one that does not answer counts as holding. */
    CompletableFuture<Boolean> peersHoldMembers(String share) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (Peer peer : network.peers()) {
            answers.add(network.call(peer, SharedCodes.MEMBERS, ShareMessages.share(share), settings.peerTimeoutMs())
                .thenApply(ShareMessages::flag)
                .exceptionally(failure -> {
                    logUnreachable(peer, "whether it holds members of '" + share + "'", failure);
                    return true;
                }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .thenApply(done -> answers.stream().anyMatch(CompletableFuture::join));
    }
}
