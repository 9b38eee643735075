package net.lightqueue.mqtt.cluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.host.log.OncePerKey;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerListener;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.persistence.ProgressRecord;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The reading side of the cluster: opens sessions' cursors on the other broker groups' light
 * queues, carries their reads and progress over the peer protocol, and passes the peers'
 * arrival signals to them. Signals are coalesced per (peer, queue); a signal lost with a
 * restarting peer is made up by asking every peer for the ends of the watched queues once a
 * period, one request per peer.
 */
public final class RemoteQueues implements PeerListener {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");
    /** How often the ends of watched queues are asked for, in case a signal was lost. */
    private static final long ENDS_PERIOD_MILLIS = 5_000;

    private record Watched(String peer, String filter) {
    }

    private record Read(String peer, String filter, long from) {
    }

    private final PeerNetwork network;
    private final MqttSettings settings;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final ConcurrentMap<Watched, Set<RemoteCursor>> cursors = new ConcurrentHashMap<>();
    /** Reads on their way, shared by the cursors at the same position: a fan-out reads a batch once. */
    private final ConcurrentMap<Read, CompletableFuture<ReadResult>> reading = new ConcurrentHashMap<>();
    private final OncePerKey unreachable = new OncePerKey(1024);
    /** Sessions in memory that read the peers' queues: told when a peer joins. */
    private final Set<RemoteSession> sessions = ConcurrentHashMap.newKeySet();

    /** @param clock what a failed peer's retry delay is measured with */
    public RemoteQueues(PeerNetwork network, MqttSettings settings, ScheduledExecutorService timers, Clock clock) {
        this.network = network;
        this.settings = settings;
        this.timers = timers;
        this.clock = clock;
        network.handle(PeerCodes.ARRIVED, (from, body) -> {
            PeerMessages.arrivals(body).forEach((filter, end) -> arrived(from, filter, end));
            return CompletableFuture.completedFuture(new byte[0]);
        });
    }

    /** Starts asking the peers for the ends of the watched queues once a period. */
    public void startPolling() {
        timers.scheduleWithFixedDelay(this::askEnds, ENDS_PERIOD_MILLIS, ENDS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Where the session stands in every peer's queues of {@code filters}, with the messages of
     * its unacknowledged deliveries: by peer name, then filter. A peer that does not answer in
     * time is left out; cursors on it ask again later.
     */
    public CompletableFuture<Map<String, Map<String, PeerMessages.Position>>> positions(String clientId,
                                                                                        List<String> filters) {
        Map<String, Map<String, PeerMessages.Position>> byPeer = new ConcurrentHashMap<>();
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(byPeer);
        }
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (Peer peer : network.peers()) {
            answers.add(open(peer, clientId, filters)
                .thenAccept(positions -> byPeer.put(peer.brokerName(), positions))
                .exceptionally(failure -> {
                    logUnreachable(peer, "the positions of session '" + clientId + "'", failure);
                    return null;
                }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> byPeer);
    }

    /**
     * The session's cursors on {@code filter} in every peer's queue, at the {@code known}
     * positions (by peer name), or asking the peer where to start.
     */
    public List<Cursor> open(RemoteSession session, String filter, SubscriptionOptions options,
                             Map<String, Map<String, PeerMessages.Position>> known) {
        sessions.add(session);
        List<Cursor> opened = new ArrayList<>();
        for (Peer peer : network.peers()) {
            opened.add(open(session, filter, options, peer, known.getOrDefault(peer.brokerName(), Map.of()).get(filter)));
        }
        return opened;
    }

    /** The session's cursor on {@code filter} in the queue of a peer that joined: it asks where to start. */
    public Cursor open(RemoteSession session, String filter, SubscriptionOptions options, Peer peer) {
        return open(session, filter, options, peer, null);
    }

    private RemoteCursor open(RemoteSession session, String filter, SubscriptionOptions options, Peer peer,
                              PeerMessages.Position position) {
        RemoteCursor cursor = RemoteCursor.open(peer, filter, options, position, this, session);
        // Added inside compute: a set that closed() drops as empty meanwhile never takes the cursor with it.
        cursors.compute(new Watched(peer.brokerName(), filter), (key, watching) -> {
            Set<RemoteCursor> set = watching == null ? ConcurrentHashMap.newKeySet() : watching;
            set.add(cursor);
            return set;
        });
        return cursor;
    }

    /** The session left memory: a peer that joins later is its next connection's to read. */
    public void released(RemoteSession session) {
        sessions.remove(session);
    }

    @Override
    public void joined(Peer peer) {
        sessions.forEach(session -> session.onLoop(() -> session.peerJoined(peer)));
    }

    @Override
    public void left(Peer peer) {
        // its cursors retry until it is back; its stored messages are delivered then
    }

    void closed(RemoteCursor cursor) {
        cursors.computeIfPresent(new Watched(cursor.peerName(), cursor.name()), (key, set) -> {
            set.remove(cursor);
            return set.isEmpty() ? null : set;
        });
    }

    private void arrived(String peer, String filter, long end) {
        Set<RemoteCursor> watching = cursors.get(new Watched(peer, filter));
        if (watching != null) {
            watching.forEach(cursor -> cursor.arrived(end));
        }
    }

    private void askEnds() {
        Map<String, List<String>> filtersByPeer = new HashMap<>();
        cursors.keySet().forEach(key -> filtersByPeer.computeIfAbsent(key.peer(), peer -> new ArrayList<>()).add(key.filter()));
        for (Peer peer : network.peers()) {
            List<String> filters = filtersByPeer.get(peer.brokerName());
            if (filters != null) {
                network.call(peer, PeerCodes.ENDS, PeerMessages.clientFilters("", filters), settings.peerTimeoutMs())
                    .thenAccept(body -> PeerMessages.arrivals(body)
                        .forEach((filter, end) -> arrived(peer.brokerName(), filter, end)))
                    .exceptionally(failure -> {
                        logUnreachable(peer, "the ends of " + filters.size() + " queues", failure);
                        return null;
                    });
            }
        }
    }

    CompletableFuture<Map<String, PeerMessages.Position>> open(Peer peer, String clientId, List<String> filters) {
        byte[] request = PeerMessages.clientFilters(clientId, filters);
        return network.call(current(peer), PeerCodes.OPEN, request, settings.peerTimeoutMs())
            .thenApply(PeerMessages::positions);
    }

    CompletableFuture<ReadResult> read(Peer peer, String filter, long from) {
        Read key = new Read(peer.brokerName(), filter, from);
        CompletableFuture<ReadResult> started = new CompletableFuture<>();
        CompletableFuture<ReadResult> shared = reading.putIfAbsent(key, started);
        if (shared != null) {
            return shared;
        }
        PeerMessages.Read read = new PeerMessages.Read(filter, from, settings.deliveryBatchSize());
        network.call(current(peer), PeerCodes.READ, PeerMessages.read(read), settings.peerTimeoutMs())
            .thenApply(PeerMessages::readResult)
            .whenComplete((result, failure) -> {
                reading.remove(key, started);
                if (failure == null) {
                    started.complete(result);
                } else {
                    started.completeExceptionally(failure);
                }
            });
        return started;
    }

    CompletableFuture<?> record(Peer peer, String clientId, String filter, ProgressRecord progress) {
        Map<String, ProgressRecord> records = new HashMap<>();
        records.put(filter, progress);
        return network.call(current(peer), PeerCodes.PROGRESS, PeerMessages.progress(clientId, records), settings.peerTimeoutMs())
            .whenComplete((done, failure) -> {
                if (failure != null) {
                    logUnreachable(peer, "the progress of session '" + clientId + "'", failure);
                }
            });
    }

    /** The group's master as the directory knows it now: a group whose master moved is read at its new address. */
    private Peer current(Peer peer) {
        for (Peer known : network.peers()) {
            if (known.brokerName().equals(peer.brokerName())) {
                return known;
            }
        }
        return peer;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Clock clock() {
        return clock;
    }

    long recordIntervalMillis() {
        return settings.progressIntervalMs();
    }

    private void logUnreachable(Peer peer, String what, Throwable failure) {
        if (unreachable.first(peer.brokerName() + ' ' + failure.getClass().getName())) {
            LOG.warn("MQTT peer {} at {} did not answer for {}: {} (logged once per peer and kind of failure)",
                peer.brokerName(), peer.address(), what, failure.toString());
        }
    }
}
