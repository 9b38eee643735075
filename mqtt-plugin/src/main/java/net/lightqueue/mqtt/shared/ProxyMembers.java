package net.lightqueue.mqtt.shared;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerListener;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.persistence.SessionStore;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The answering side: members connected to other broker groups take part in this broker's
 * groups through proxy members. A proxy is a member like a local one; when its group assigns
 * it messages it sends its broker one "ready" signal (coalesced per broker, then not again
 * until the member took), and the member takes them with {@link SharedCodes#TAKE}. A proxy not
 * heard from for {@link #EXPIRY_MILLIS} (its broker died or lost us) leaves its group, so what
 * it held goes to the other members.
 */
final class ProxyMembers implements PeerListener {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.shared");
    /** How long a proxy lives unheard; its broker keeps it alive every {@link RemoteShares#ALIVE_PERIOD_MILLIS}. */
    static final long EXPIRY_MILLIS = 15_000;

    /** What one take answer may carry, well below the remoting frame limit (16 MiB). */
    private static final long MAX_TAKE_BYTES = 4 * 1024 * 1024;

    private record Key(String broker, ShareMessages.MemberId member) {
    }

    private final class Proxy {
        final Key key;
        final SharedMember member = new SharedMember(this::wake);
        /** Whether the next assignment signals the member's broker; spent by the signal, armed by a take. */
        final AtomicBoolean armed = new AtomicBoolean(true);
        /** Set once joined; the group may wake the member before. */
        volatile SharedGroup group;
        volatile long heardAt;

        Proxy(Key key, ShareName share) {
            this.key = key;
            this.heardAt = clock.millis();
            this.group = groups.joinMember(share, member);
        }

        /** Under the group's lock: signals when the member may take something. */
        private void wake() {
            SharedGroup joined = group;
            if ((joined == null || joined.mayHaveMessages(member)) && armed.compareAndSet(true, false)) {
                signal(key);
            }
        }
    }

    private final PeerNetwork network;
    private final SharedGroups groups;
    private final SessionStore store;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final ConcurrentMap<Key, Proxy> proxies = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<ShareMessages.MemberId>> pendingByBroker = new ConcurrentHashMap<>();
    private final AtomicBoolean sendScheduled = new AtomicBoolean();

    ProxyMembers(PeerNetwork network, SharedGroups groups, SessionStore store, ScheduledExecutorService timers,
                 Clock clock) {
        this.network = network;
        this.groups = groups;
        this.store = store;
        this.timers = timers;
        this.clock = clock;
        network.handle(SharedCodes.JOIN, (from, body) -> join(from, ShareMessages.take(body)));
        network.handle(SharedCodes.TAKE, (from, body) -> take(from, ShareMessages.take(body)));
        network.handle(SharedCodes.LEAVE, (from, body) -> leave(from, ShareMessages.take(body)));
        network.handle(SharedCodes.ALIVE, (from, body) -> alive(from, ShareMessages.members(body)));
        network.handle(SharedCodes.MEMBERS, (from, body) -> CompletableFuture.completedFuture(
            ShareMessages.flag(store.hasMembers(ShareMessages.share(body)))));
        network.addListener(this);
    }

    /** Starts removing the proxies that were not heard from in time. */
    void startExpiry() {
        timers.schedule(() -> {
            expire();
            startExpiry();
        }, EXPIRY_MILLIS / 3, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<byte[]> join(String from, ShareMessages.Take request) {
        Key key = new Key(from, request.member());
        ShareName share = ShareName.parse(request.member().share());
        return groups.subscribedHere(share).thenApply(subscribed -> {
            Proxy proxy = proxies.computeIfAbsent(key, joining -> new Proxy(joining, share));
            proxy.heardAt = clock.millis();
            proxy.group.window(proxy.member, request.window());
            return new byte[0];
        });
    }

    private CompletableFuture<byte[]> take(String from, ShareMessages.Take request) {
        Proxy proxy = proxies.get(new Key(from, request.member()));
        if (proxy == null) {
            return CompletableFuture.completedFuture(ShareMessages.notMember()); // expired, or this broker restarted
        }
        proxy.heardAt = clock.millis();
        proxy.armed.set(true);
        proxy.group.window(proxy.member, request.window());
        if (proxy.group.settle(proxy.member, request.unacknowledged()) > 0) {
            groups.completed(proxy.group);
        }
        List<StoredMessage> taken = proxy.group.take(proxy.member, request.count(), MAX_TAKE_BYTES);
        return CompletableFuture.completedFuture(ShareMessages.taken(new ReadResult(taken, 0, 0)));
    }

    /** Settles what the member completed, then it leaves: the rest goes to the other members. */
    private CompletableFuture<byte[]> leave(String from, ShareMessages.Take request) {
        Proxy proxy = proxies.remove(new Key(from, request.member()));
        if (proxy != null) {
            proxy.group.settle(proxy.member, request.unacknowledged());
            groups.leave(proxy.group, proxy.member);
        }
        return CompletableFuture.completedFuture(new byte[0]);
    }

    private CompletableFuture<byte[]> alive(String from, List<ShareMessages.MemberId> members) {
        byte[] states = new byte[members.size()];
        long now = clock.millis();
        for (int i = 0; i < states.length; i++) {
            Proxy proxy = proxies.get(new Key(from, members.get(i)));
            if (proxy == null) {
                states[i] = ShareMessages.UNKNOWN;
            } else {
                proxy.heardAt = now;
                states[i] = proxy.group.mayHaveMessages(proxy.member) ? ShareMessages.READY : ShareMessages.JOINED;
            }
        }
        return CompletableFuture.completedFuture(ShareMessages.states(states));
    }

    private void expire() {
        long before = clock.millis() - EXPIRY_MILLIS;
        for (Proxy proxy : proxies.values()) {
            if (proxy.heardAt < before && proxies.remove(proxy.key, proxy)) {
                LOG.warn("shared subscription '{}': member '{}' at MQTT peer {} not heard from for {} ms; its messages "
                    + "go to the other members", proxy.key.member().share(), proxy.key.member().clientId(),
                    proxy.key.broker(), EXPIRY_MILLIS);
                groups.leave(proxy.group, proxy.member);
            }
        }
    }

    @Override
    public void joined(Peer peer) {
    }

    /** A broker that left holds its members no longer: their messages go to the others at once. */
    @Override
    public void left(Peer peer) {
        for (Proxy proxy : proxies.values()) {
            if (proxy.key.broker().equals(peer.brokerName()) && proxies.remove(proxy.key, proxy)) {
                groups.leave(proxy.group, proxy.member);
            }
        }
    }

    private void signal(Key key) {
        pendingByBroker.computeIfAbsent(key.broker(), broker -> ConcurrentHashMap.newKeySet()).add(key.member());
        if (sendScheduled.compareAndSet(false, true)) {
            timers.execute(this::sendSignals);
        }
    }

    private void sendSignals() {
        sendScheduled.set(false); // a signal from now on schedules another send
        for (Peer peer : network.peers()) {
            Set<ShareMessages.MemberId> pending = pendingByBroker.get(peer.brokerName());
            if (pending == null) {
                continue;
            }
            Set<ShareMessages.MemberId> batch = new HashSet<>();
            for (ShareMessages.MemberId member : pending) {
                if (pending.remove(member)) {
                    batch.add(member);
                }
            }
            if (!batch.isEmpty()) {
                network.tell(peer, SharedCodes.READY, ShareMessages.members(batch));
            }
        }
    }
}
