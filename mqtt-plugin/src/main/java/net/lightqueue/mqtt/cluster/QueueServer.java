package net.lightqueue.mqtt.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import net.lightqueue.dispatch.ArrivalListener;
import net.lightqueue.dispatch.QueueReads;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.persistence.ProgressRecord;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateChanges;

/**
 * The answering side of the cluster: serves the other broker groups' sessions from this
 * broker's light queues. It adds their subscriptions to this broker's filter set (so it indexes
 * its own publishes for them), hands out batches of its queues, keeps their progress in its own
 * commitlog, and tells a peer when a queue it read grows: once per read, coalesced per queue.
 */
public final class QueueServer implements ArrivalListener {

    /** What one read answer may carry, well below the remoting frame limit (16 MiB). */
    private static final int MAX_READ_BYTES = 4 * 1024 * 1024;

    private final PeerNetwork network;
    private final SubscriptionTable subscriptions;
    private final QueueReads queues;
    private final SessionStore store;
    private final Executor signals;
    /**
     * Peers owed a signal when a queue grows past where they last read, by filter: armed by each
     * read with the position it reads from, spent by a signal beyond it. A signal for what the
     * peer already read (the dispatcher's signals trail the index) leaves the arming in place.
     * One arming serves all the peer's cursors on the queue: the signal goes to each of them, and
     * each cursor that reads arms again. The inner maps are touched inside {@code compute} only.
     */
    private final ConcurrentMap<String, Map<String, Long>> watchers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Long>> pendingByPeer = new ConcurrentHashMap<>();
    private final AtomicBoolean sendScheduled = new AtomicBoolean();

    /**
     * @param subscriptions this broker's own filter set, never the cluster's (a peer's request is not passed on)
     * @param signals where the coalesced signals are sent from
     */
    public QueueServer(PeerNetwork network, SubscriptionTable subscriptions, QueueReads queues, SessionStore store,
                       Executor signals) {
        this.network = network;
        this.subscriptions = subscriptions;
        this.queues = queues;
        this.store = store;
        this.signals = signals;
        network.handle(PeerCodes.SUBSCRIBE, (from, body) -> subscribe(PeerMessages.subscribe(body)));
        network.handle(PeerCodes.UNSUBSCRIBE, (from, body) -> unsubscribe(PeerMessages.clientFilters(body)));
        network.handle(PeerCodes.UNSUBSCRIBE_ALL, (from, body) -> unsubscribeAll(PeerMessages.clientFilters(body).getKey()));
        network.handle(PeerCodes.OPEN, (from, body) -> open(PeerMessages.clientFilters(body)));
        network.handle(PeerCodes.READ, (from, body) -> read(from, PeerMessages.read(body)));
        network.handle(PeerCodes.PROGRESS, (from, body) -> progress(PeerMessages.progress(body)));
        network.handle(PeerCodes.ENDS, (from, body) -> ends(from, PeerMessages.clientFilters(body).getValue()));
    }

    /**
     * Adds the pairs this broker does not hold yet. One it holds keeps its start: a session that
     * never read this queue starts there, and a repeated request must not skip what arrived since.
     */
    private CompletableFuture<byte[]> subscribe(Map.Entry<String, List<PeerMessages.FilterOptions>> request) {
        String clientId = request.getKey();
        Set<String> held = filtersOf(clientId);
        List<CompletableFuture<?>> applied = new ArrayList<>();
        for (PeerMessages.FilterOptions filter : request.getValue()) {
            if (!held.contains(filter.filter())) {
                applied.add(subscriptions.subscribe(clientId, filter.filter(), filter.options()));
            }
        }
        return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).thenApply(done -> new byte[0]);
    }

    private CompletableFuture<byte[]> unsubscribe(Map.Entry<String, List<String>> request) {
        String clientId = request.getKey();
        StateChanges changes = new StateChanges();
        List<CompletableFuture<?>> applied = new ArrayList<>();
        for (String filter : request.getValue()) {
            applied.add(subscriptions.unsubscribe(clientId, filter));
            changes.progress(clientId, filter, null);
        }
        return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new))
            .thenCompose(done -> store.write(changes))
            .thenApply(done -> new byte[0]);
    }

    private CompletableFuture<byte[]> unsubscribeAll(String clientId) {
        return subscriptions.unsubscribeAll(clientId).thenCompose(done -> {
            StateChanges changes = new StateChanges();
            store.progress(clientId).keySet().forEach(filter -> changes.progress(clientId, filter, null));
            return store.write(changes);
        }).thenApply(done -> new byte[0]);
    }

    /** Where the session stands in each listed queue it is subscribed to here; unknown ones are left out. */
    private CompletableFuture<byte[]> open(Map.Entry<String, List<String>> request) {
        String clientId = request.getKey();
        Map<String, Long> startOffsets = new HashMap<>();
        for (SubscriptionRecord subscription : subscriptions.subscriptionsOf(clientId)) {
            startOffsets.put(subscription.filter(), subscription.startOffset());
        }
        Map<String, ProgressRecord> progress = store.progress(clientId);
        List<PeerMessages.Position> positions = new ArrayList<>();
        for (String filter : request.getValue()) {
            Long start = startOffsets.get(filter);
            if (start == null) {
                continue;
            }
            ProgressRecord recorded = progress.get(filter);
            if (recorded == null) {
                positions.add(new PeerMessages.Position(filter, start, List.of()));
                continue;
            }
            List<PeerMessages.Pending> pending = new ArrayList<>();
            for (ProgressRecord.Unacknowledged delivery : recorded.unacknowledged()) {
                StoredMessage message = delivery.released() ? null : messageAt(filter, delivery.offset());
                pending.add(new PeerMessages.Pending(delivery, message));
            }
            positions.add(new PeerMessages.Position(filter, recorded.sentUpTo(), pending));
        }
        return CompletableFuture.completedFuture(PeerMessages.positions(positions));
    }

    private StoredMessage messageAt(String filter, long offset) {
        ReadResult read = queues.read(filter, offset, 1);
        boolean there = !read.messages().isEmpty() && read.messages().get(0).queueOffset() == offset;
        return there ? read.messages().get(0) : null; // deleted by commitlog retention meanwhile
    }

    private CompletableFuture<byte[]> read(String from, PeerMessages.Read request) {
        watch(request.filter(), from, request.fromOffset()); // before reading: what arrives after the read is signalled
        ReadResult result = queues.read(request.filter(), request.fromOffset(), Math.max(1, request.maxCount()));
        return CompletableFuture.completedFuture(PeerMessages.readResult(withinFrame(result)));
    }

    /** The first messages of the batch that fit one answer (always at least one). */
    private static ReadResult withinFrame(ReadResult result) {
        long bytes = 0;
        List<StoredMessage> messages = result.messages();
        for (int i = 0; i < messages.size(); i++) {
            bytes += messages.get(i).body().length;
            if (bytes > MAX_READ_BYTES && i > 0) {
                return new ReadResult(messages.subList(0, i), messages.get(i).queueOffset(), result.skipped());
            }
        }
        return result;
    }

    private CompletableFuture<byte[]> progress(Map.Entry<String, Map<String, ProgressRecord>> request) {
        String clientId = request.getKey();
        Set<String> subscribed = filtersOf(clientId);
        StateChanges changes = new StateChanges();
        // A record that arrives after the session ended here must not bring back its state.
        request.getValue().forEach((filter, record) -> {
            if (record == null || subscribed.contains(filter)) {
                changes.progress(clientId, filter, record);
            }
        });
        return store.write(changes).thenApply(done -> new byte[0]);
    }

    private Set<String> filtersOf(String clientId) {
        Set<String> filters = new HashSet<>();
        subscriptions.subscriptionsOf(clientId).forEach(subscription -> filters.add(subscription.filter()));
        return filters;
    }

    private CompletableFuture<byte[]> ends(String from, List<String> filters) {
        Map<String, Long> ends = new HashMap<>();
        for (String filter : filters) {
            watch(filter, from, queues.maxOffset(filter));
            ends.put(filter, queues.maxOffset(filter));
        }
        return CompletableFuture.completedFuture(PeerMessages.arrivals(ends));
    }

    private void watch(String filter, String peer, long readFrom) {
        watchers.compute(filter, (key, armed) -> {
            Map<String, Long> positions = armed == null ? new HashMap<>() : armed;
            positions.put(peer, readFrom);
            return positions;
        });
    }

    @Override
    public void arrived(String filter, long maxOffset) {
        List<String> due = new ArrayList<>();
        watchers.computeIfPresent(filter, (key, armed) -> {
            armed.entrySet().removeIf(position -> {
                boolean beyond = maxOffset > position.getValue();
                if (beyond) {
                    due.add(position.getKey());
                }
                return beyond;
            });
            return armed.isEmpty() ? null : armed;
        });
        if (due.isEmpty()) {
            return;
        }
        for (String peer : due) {
            pendingByPeer.computeIfAbsent(peer, key -> new ConcurrentHashMap<>()).merge(filter, maxOffset, Math::max);
        }
        if (sendScheduled.compareAndSet(false, true)) {
            signals.execute(this::sendSignals);
        }
    }

    private void sendSignals() {
        sendScheduled.set(false); // an arrival from now on schedules another send
        Set<String> known = new HashSet<>();
        for (Peer peer : network.peers()) {
            known.add(peer.brokerName());
            ConcurrentMap<String, Long> pending = pendingByPeer.get(peer.brokerName());
            if (pending == null) {
                continue;
            }
            Map<String, Long> batch = new HashMap<>();
            for (String filter : pending.keySet()) {
                Long end = pending.remove(filter);
                if (end != null) {
                    batch.put(filter, end);
                }
            }
            if (!batch.isEmpty()) {
                network.tell(peer, PeerCodes.ARRIVED, PeerMessages.arrivals(batch));
            }
        }
        pendingByPeer.keySet().retainAll(known); // a peer that left reads again when it is back
    }
}
