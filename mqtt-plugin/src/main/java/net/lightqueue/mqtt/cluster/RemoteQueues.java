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
 *
 * <p>A group whose master is away or does not answer is read at its slave ({@link ReadSources}).
 * A slave cannot write, so progress for that group is owed: kept here, the newest per
 * (session, queue), until the group's master confirms it.
 */
public final class RemoteQueues implements PeerListener {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");
    /** How often the ends of watched queues are asked for, in case a signal was lost. */
    private static final long ENDS_PERIOD_MILLIS = 5_000;

    private record Watched(String peer, String filter) {
    }

    private record Read(String peer, String filter, long from) {
    }

    private record Owed(String group, String clientId, String filter) {
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
    /** Progress records not yet confirmed by their group's master. */
    private final ConcurrentMap<Owed, ProgressRecord> owed = new ConcurrentHashMap<>();
    private final ReadSources sources;

    /** @param clock what a failed peer's retry delay is measured with */
    public RemoteQueues(PeerNetwork network, MqttSettings settings, ScheduledExecutorService timers, Clock clock) {
        this.network = network;
        this.settings = settings;
        this.timers = timers;
        this.clock = clock;
        this.sources = new ReadSources(network, settings.peerSlaveReads(), this::switched);
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
     * time is left out; cursors on it ask again later. A group read at its slave answers with
     * the progress its master last recorded; where this broker owes the master a newer record of
     * the session, the session resumes from that.
     */
    public CompletableFuture<Map<String, Map<String, PeerMessages.Position>>> positions(String clientId,
                                                                                        List<String> filters) {
        Map<String, Map<String, PeerMessages.Position>> byPeer = new ConcurrentHashMap<>();
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(byPeer);
        }
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (Peer peer : sources.groups()) {
            answers.add(open(peer, clientId, filters)
                .thenAccept(positions -> byPeer.put(peer.brokerName(), positions))
                .exceptionally(failure -> {
                    logUnreachable(peer, "the positions of session '" + clientId + "'", failure);
                    return null;
                }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            byPeer.replaceAll((group, positions) -> withOwed(group, clientId, positions));
            return byPeer;
        });
    }

    private Map<String, PeerMessages.Position> withOwed(String group, String clientId,
                                                         Map<String, PeerMessages.Position> answered) {
        if (sources.writer(group) != null) {
            return answered; // the master answered: what is owed is on its way there
        }
        Map<String, PeerMessages.Position> positions = new HashMap<>(answered);
        positions.replaceAll((filter, position) -> {
            ProgressRecord owedRecord = owed.get(new Owed(group, clientId, filter));
            return owedRecord != null && owedRecord.sentUpTo() > position.nextOffset()
                ? resumeAt(filter, owedRecord, position) : position;
        });
        return positions;
    }

    /**
     * The session's cursors on {@code filter} in every peer's queue, at the {@code known}
     * positions (by peer name), or asking the peer where to start.
     */
    public List<Cursor> open(RemoteSession session, String filter, SubscriptionOptions options,
                             Map<String, Map<String, PeerMessages.Position>> known) {
        sessions.add(session);
        List<Cursor> opened = new ArrayList<>();
        for (Peer peer : sources.groups()) {
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
        // Its own records supersede what an earlier cursor of the session owes the group.
        owed.remove(new Owed(peer.brokerName(), session.clientId(), filter));
        // Added inside compute: a set that closed() drops as empty meanwhile never takes the cursor with it.
        cursors.compute(new Watched(peer.brokerName(), filter), (key, watching) -> {
            Set<RemoteCursor> set = watching == null ? ConcurrentHashMap.newKeySet() : watching;
            set.add(cursor);
            return set;
        });
        return cursor;
    }

    /**
     * Where a session resumes from the record this broker owes a group: exactly there when every
     * unacknowledged delivery's message is at hand (in the slave's answer, or released, so only
     * PUBREL is owed), else from the first delivery without its message on, as new deliveries.
     */
    private static PeerMessages.Position resumeAt(String filter, ProgressRecord owedRecord,
                                                  PeerMessages.Position answered) {
        Map<Long, PeerMessages.Pending> known = new HashMap<>();
        answered.unacknowledged().forEach(pending -> known.put(pending.delivery().offset(), pending));
        long next = owedRecord.sentUpTo();
        for (ProgressRecord.Unacknowledged delivery : owedRecord.unacknowledged()) {
            PeerMessages.Pending pending = known.get(delivery.offset());
            if (!delivery.released() && (pending == null || pending.message() == null)) {
                next = Math.min(next, delivery.offset());
            }
        }
        List<PeerMessages.Pending> pendings = new ArrayList<>();
        for (ProgressRecord.Unacknowledged delivery : owedRecord.unacknowledged()) {
            if (delivery.offset() < next) {
                PeerMessages.Pending pending = known.get(delivery.offset());
                pendings.add(new PeerMessages.Pending(delivery, delivery.released() ? null : pending.message()));
            }
        }
        return new PeerMessages.Position(filter, next, pendings);
    }

    /** The session left memory: a peer that joins later is its next connection's to read. */
    public void released(RemoteSession session) {
        sessions.remove(session);
    }

    @Override
    public void joined(Peer peer) {
        sources.joined(peer);
        payOwed(peer.brokerName());
        sessions.forEach(session -> session.onLoop(() -> session.peerJoined(peer)));
    }

    @Override
    public void left(Peer peer) {
        // Its cursors read at its slave, or retry until it is back; its stored messages are delivered then.
        sources.readFrom(peer);
    }

    /** The group's queues are read at another broker from now on. */
    private void switched(String group) {
        cursors.forEach((watched, set) -> {
            if (watched.peer().equals(group)) {
                set.forEach(RemoteCursor::sourceChanged);
            }
        });
    }

    /** The cursor stopped; an unsubscribed one owes its group nothing any more. */
    void closed(RemoteCursor cursor, boolean unsubscribed) {
        if (unsubscribed) {
            owed.remove(new Owed(cursor.peerName(), cursor.clientId(), cursor.name()));
        }
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

    /**
     * Asks each group where its watched queues end, at the broker it is read at; a master read
     * around is asked too: its answer brings the reads back to it.
     */
    private void askEnds() {
        Map<String, List<String>> filtersByPeer = new HashMap<>();
        cursors.keySet().forEach(key -> filtersByPeer.computeIfAbsent(key.peer(), peer -> new ArrayList<>()).add(key.filter()));
        for (Peer group : sources.groups()) {
            List<String> filters = filtersByPeer.get(group.brokerName());
            if (filters != null) {
                Peer source = sources.readFrom(group);
                askEnds(source, filters);
                Peer master = sources.master(group.brokerName());
                if (master != null && !master.equals(source)) {
                    askEnds(master, filters);
                }
            }
        }
    }

    private void askEnds(Peer target, List<String> filters) {
        call(target, PeerCodes.ENDS, PeerMessages.clientFilters("", filters))
            .thenAccept(body -> PeerMessages.arrivals(body).forEach((filter, end) -> arrived(target.brokerName(), filter, end)))
            .exceptionally(failure -> {
                logUnreachable(target, "the ends of " + filters.size() + " queues", failure);
                return null;
            });
    }

    CompletableFuture<Map<String, PeerMessages.Position>> open(Peer peer, String clientId, List<String> filters) {
        byte[] request = PeerMessages.clientFilters(clientId, filters);
        return call(sources.readFrom(peer), PeerCodes.OPEN, request).thenApply(PeerMessages::positions);
    }

    CompletableFuture<ReadResult> read(Peer peer, String filter, long from) {
        Read key = new Read(peer.brokerName(), filter, from);
        CompletableFuture<ReadResult> started = new CompletableFuture<>();
        CompletableFuture<ReadResult> shared = reading.putIfAbsent(key, started);
        if (shared != null) {
            return shared;
        }
        PeerMessages.Read read = new PeerMessages.Read(filter, from, settings.deliveryBatchSize());
        call(sources.readFrom(peer), PeerCodes.READ, PeerMessages.read(read))
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

    /**
     * Records the session's progress in the group's queue at the group's master. While the
     * master is away or does not answer, the record is owed: it completes at once, and is sent
     * when the master is back (unless a newer one replaced it meanwhile).
     */
    CompletableFuture<?> record(Peer peer, String clientId, String filter, ProgressRecord progress) {
        Owed key = new Owed(peer.brokerName(), clientId, filter);
        owed.put(key, progress);
        return pay(key, progress);
    }

    private CompletableFuture<?> pay(Owed key, ProgressRecord progress) {
        Peer master = sources.writer(key.group());
        if (master == null) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, ProgressRecord> records = new HashMap<>();
        records.put(key.filter(), progress);
        return call(master, PeerCodes.PROGRESS, PeerMessages.progress(key.clientId(), records))
            .handle((done, failure) -> {
                if (failure == null) {
                    owed.remove(key, progress);
                } else {
                    logUnreachable(master, "the progress of session '" + key.clientId() + "'", failure);
                }
                return null;
            });
    }

    /** Sends what is owed to the group, if its master answers now. */
    private void payOwed(String group) {
        if (sources.writer(group) != null) {
            owed.forEach((key, progress) -> {
                if (key.group().equals(group)) {
                    pay(key, progress);
                }
            });
        }
    }

    /** A call whose outcome tells the sources whether the group's master answers. */
    private CompletableFuture<byte[]> call(Peer target, int requestCode, byte[] request) {
        return network.call(target, requestCode, request, settings.peerTimeoutMs()).whenComplete((body, failure) -> {
            if (failure == null) {
                if (sources.answered(target)) {
                    payOwed(target.brokerName());
                }
            } else {
                sources.failed(target);
            }
        });
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
