package net.lightqueue.host.peer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.lightqueue.host.log.OncePerKey;
import org.apache.rocketmq.broker.out.BrokerOuterAPI;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.ThreadFactoryImpl;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;

/**
 * Which masters of the other groups of this broker's cluster run the plugin host: looked up on
 * the name server at every refresh, each new one asked with a {@link PeerRequestCodes#PING}.
 * The same lookup lists the groups' slaves, which are not peers and are not asked.
 * Only the refresh thread changes the peers and tells the listeners.
 */
final class PeerDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.host.peer.PeerDirectory");
    private static final long PING_TIMEOUT_MILLIS = 3_000;
    private static final byte[] EMPTY = new byte[0];
    private static final int LOGGED_FAILURES = 100;

    private final String selfName;
    private final String clusterName;
    private final BrokerOuterAPI nameServer;
    private final PeerClient client;
    private final PeerCallers callers;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private volatile List<Peer> slaves = List.of();
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    /** Failures already logged since the last lookup that worked; refresh thread only. */
    private OncePerKey loggedLookupFailures = new OncePerKey(LOGGED_FAILURES);
    private boolean lookupFailing;
    private final OncePerKey loggedWithoutPlugin = new OncePerKey(1_000);
    private final ScheduledExecutorService refresher =
        Executors.newSingleThreadScheduledExecutor(new ThreadFactoryImpl("lightqueue-peer-directory-", true));

    private final OncePerKey loggedRefusedPings = new OncePerKey(1_000);
    private final AtomicLong lastRefreshSoonMillis = new AtomicLong();

    PeerDirectory(String selfName, String clusterName, BrokerOuterAPI nameServer, PeerClient client,
                  PeerCallers callers) {
        this.selfName = selfName;
        this.clusterName = clusterName;
        this.nameServer = nameServer;
        this.client = client;
        this.callers = callers;
        callers.refreshWith(this::refreshSoon);
    }

    Collection<Peer> peers() {
        return List.copyOf(peers.values());
    }

    Peer peer(String brokerName) {
        return peers.get(brokerName);
    }

    List<Peer> slaves() {
        return slaves;
    }

    void addListener(PeerListener listener) {
        listeners.add(listener);
    }

    /** Refreshes now and then every {@code period}, until closed. */
    void start(Duration period) {
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    /** An extra refresh, at most one a second, for a caller the last lookup did not know. */
    private void refreshSoon() {
        long now = System.currentTimeMillis();
        long last = lastRefreshSoonMillis.get();
        if (now - last >= 1_000 && lastRefreshSoonMillis.compareAndSet(last, now) && !refresher.isShutdown()) {
            try {
                refresher.execute(this::refreshQuietly);
            } catch (RejectedExecutionException e) {
                LOG.debug("no refresh: the directory closed");
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.error("the peer directory failed to refresh; it tries again at the next refresh", e);
        }
    }

    private void refresh() {
        Route route = lookUp();
        if (route == null) {
            return;
        }
        slaves = route.slaves();
        callers.routeTaken(route.addressesByGroup());
        Map<String, String> masters = route.masters();
        for (Peer peer : peers.values()) {
            if (!peer.address().equals(masters.get(peer.brokerName()))) {
                peers.remove(peer.brokerName());
                LOG.info("peer {} at {} left", peer.brokerName(), peer.address());
                tell(peer, false);
            }
        }
        Map<Peer, CompletableFuture<RemotingCommand>> pings = new HashMap<>();
        masters.forEach((name, address) -> {
            if (!peers.containsKey(name)) {
                Peer candidate = new Peer(name, address);
                pings.put(candidate, client.send(candidate, PeerRequestCodes.PING, EMPTY, PING_TIMEOUT_MILLIS));
            }
        });
        // Answers are taken here, not in the futures' callbacks: listeners hear from this thread only.
        // The wait is bounded on its own as well, in case the remoting client stops under it.
        for (Map.Entry<Peer, CompletableFuture<RemotingCommand>> ping : pings.entrySet()) {
            Peer candidate = ping.getKey();
            try {
                admit(candidate, ping.getValue().get(2 * PING_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("{} at {} did not answer the peer ping: {}", candidate.brokerName(), candidate.address(),
                    Failures.unwrap(e).toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed
                return;
            }
        }
    }

    /**
     * The other groups of this cluster: their masters by {@code brokerName}, and their slaves
     * ({@code brokerId > 0}), by group and then brokerId; and every broker address of every group
     * of the cluster, this one's included.
     */
    private record Route(Map<String, String> masters, List<Peer> slaves, Map<String, Collection<String>> addressesByGroup) {
    }

    /** The other groups of this cluster as the name server lists them, or null when the lookup failed. */
    private Route lookUp() {
        List<String> nameServers = nameServer.getNameServerAddressList(); // null until one is set
        if (nameServers == null || nameServers.isEmpty()) {
            if (loggedLookupFailures.first("")) {
                LOG.info("no name server is configured (namesrvAddr): this broker has no peers");
            }
            return null;
        }
        ClusterInfo cluster;
        try {
            cluster = nameServer.getBrokerClusterInfo();
        } catch (Exception e) {
            lookupFailing = true;
            if (loggedLookupFailures.first(e.toString())) {
                LOG.warn("cannot look up the brokers of cluster {} on the name server; the peers stay as they are"
                    + " and the lookup is retried at every refresh: {}", clusterName, e.toString());
            }
            return null;
        }
        if (lookupFailing) {
            lookupFailing = false;
            loggedLookupFailures = new OncePerKey(LOGGED_FAILURES);
            LOG.info("the name server answers the peer lookup of cluster {} again", clusterName);
        }
        Set<String> names = cluster.getClusterAddrTable() == null ? null : cluster.getClusterAddrTable().get(clusterName);
        if (names == null || !names.contains(selfName)) {
            // This broker is not registered yet, or the name server restarted and the brokers have
            // not registered again: the answer says nothing about the peers.
            LOG.debug("the name server does not list {} in cluster {} (yet); the peers stay as they are", selfName, clusterName);
            return null;
        }
        Map<String, String> masters = new HashMap<>();
        List<Peer> slaveList = new ArrayList<>();
        Map<String, Collection<String>> addressesByGroup = new HashMap<>();
        for (String name : new TreeSet<>(names)) {
            BrokerData group = cluster.getBrokerAddrTable().get(name);
            if (group != null) {
                addressesByGroup.put(name, List.copyOf(group.getBrokerAddrs().values()));
            }
            if (group == null || name.equals(selfName)) {
                continue;
            }
            new TreeMap<>(group.getBrokerAddrs()).forEach((brokerId, address) -> {
                if (brokerId == MixAll.MASTER_ID) {
                    masters.put(name, address);
                } else {
                    slaveList.add(new Peer(name, address));
                }
            });
        }
        return new Route(masters, List.copyOf(slaveList), addressesByGroup);
    }

    private void admit(Peer candidate, RemotingCommand answer) {
        if (answer.getCode() == RemotingSysResponseCode.SUCCESS) {
            peers.put(candidate.brokerName(), candidate);
            LOG.info("peer {} at {} joined", candidate.brokerName(), candidate.address());
            tell(candidate, true);
        } else if (answer.getCode() == RemotingSysResponseCode.REQUEST_CODE_NOT_SUPPORTED) {
            if (loggedWithoutPlugin.first(candidate.brokerName())) {
                LOG.warn("broker {} at {} in cluster {} does not run the plugin host ({}), so the plugins' clients"
                    + " connected there are not part of this cluster's service; it is asked again at every refresh",
                    candidate.brokerName(), candidate.address(), clusterName, "net.lightqueue.host.PluginHost");
            }
        } else if (answer.getCode() == ResponseCode.NO_PERMISSION && loggedRefusedPings.first(candidate.brokerName())) {
            LOG.warn("broker {} at {} in cluster {} refused this broker's peer ping ({}); it is asked again at every"
                + " refresh, and its log says why (logged once per broker)", candidate.brokerName(), candidate.address(),
                clusterName, answer.getRemark());
        } else {
            LOG.debug("{} at {} answered the peer ping with code {}: {}", candidate.brokerName(), candidate.address(),
                answer.getCode(), answer.getRemark());
        }
    }

    private void tell(Peer peer, boolean joined) {
        for (PeerListener listener : listeners) {
            try {
                if (joined) {
                    listener.joined(peer);
                } else {
                    listener.left(peer);
                }
            } catch (RuntimeException e) {
                LOG.error("a peer listener failed on {} {}", joined ? "joined" : "left", peer, e);
            }
        }
    }
}
