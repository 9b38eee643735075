package net.lightqueue.mqtt.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.delivery.SubscriptionPosition;

/**
 * A subscription's position in the light queue of its filter on another broker group. Reads go
 * ahead of the deliverer: a batch is fetched over the peer protocol while the session delivers
 * other messages, and handed out when it has arrived, so the event loop never waits on the
 * network. The peer keeps this cursor's progress in its own commitlog, so the position means
 * the same thing wherever the session lives. While the group's master is away the cursor reads
 * the group's slave, and its progress waits in {@link RemoteQueues} for the master.
 *
 * <p>Confined to the session's event loop, except the completions of its requests,
 * {@link #arrived} and {@link #sourceChanged}, which only set what the loop picks up and wake
 * the session.
 */
final class RemoteCursor extends SubscriptionPosition {

    /** A batch read from {@code from}, waiting for the deliverer. */
    private record Fetched(long from, ReadResult result) {
    }

    private final Peer peer;
    private final RemoteQueues queues;
    private final RemoteSession session;
    private final PeerRequests requests;
    private final AtomicLong signalledEnd = new AtomicLong(-1);
    /** The unacknowledged messages the peer returned when the session resumed, by queue offset. */
    private final Map<Long, StoredMessage> restored;
    private volatile Long openedAt;
    private volatile Fetched fetched;
    private volatile boolean closed;
    /** Set when the group's queues are read at another broker from now on (its master left or came back). */
    private volatile boolean sourceChanged;
    private boolean positioned;
    /** Where the last read found the queue's end; -1 before the first read. */
    private long knownEnd = -1;
    private boolean unrecorded;
    private boolean recordScheduled;

    private RemoteCursor(Peer peer, String filter, SubscriptionOptions options, PeerMessages.Position position,
                         RemoteQueues queues, RemoteSession session) {
        super(filter, options, position == null ? -1 : position.nextOffset());
        this.peer = peer;
        this.queues = queues;
        this.session = session;
        this.requests = new PeerRequests(queues.clock(), queues.timers(), session::wake);
        this.positioned = position != null;
        this.restored = position == null ? Map.of() : position.unacknowledged().stream()
            .filter(pending -> pending.message() != null)
            .collect(Collectors.toMap(pending -> pending.delivery().offset(), PeerMessages.Pending::message));
    }

    /** A cursor at {@code position}, or, when the peer did not say, one that asks for it first. */
    static RemoteCursor open(Peer peer, String filter, SubscriptionOptions options, PeerMessages.Position position,
                             RemoteQueues queues, RemoteSession session) {
        return new RemoteCursor(peer, filter, options, position, queues, session);
    }

    @Override
    public String peerName() {
        return peer.brokerName();
    }

    String clientId() {
        return session.clientId();
    }

    @Override
    public boolean mayHaveMessages() {
        if (closed) {
            return false;
        }
        if (sourceChanged) {
            // The ends learnt from the other broker say nothing about this one's (a slave may trail
            // its master): the next read, at the new broker, finds the end and arms its signal there.
            sourceChanged = false;
            knownEnd = -1;
            signalledEnd.set(-1);
        }
        if (!positioned) {
            Long at = openedAt;
            if (at == null) {
                request(this::requestOpen);
                return false;
            }
            super.advance(at, false);
            positioned = true;
        }
        Fetched ready = fetched;
        if (ready != null) {
            if (ready.from() == nextOffset()) {
                return true;
            }
            fetched = null; // read for a position the cursor left meanwhile
        }
        if (knownEnd != nextOffset() || signalledEnd.get() > nextOffset()) {
            request(this::requestRead);
        }
        return false;
    }

    @Override
    public ReadResult read(int count) {
        Fetched ready = fetched;
        fetched = null;
        if (ready == null || ready.from() != nextOffset()) {
            return new ReadResult(List.of(), nextOffset(), 0);
        }
        return ready.result();
    }

    @Override
    public void advance(long next, boolean foundNothing) {
        super.advance(next, foundNothing);
        if (foundNothing) {
            knownEnd = next;
            if (signalledEnd.get() > next) {
                request(this::requestRead); // signalled while the read that found nothing was on its way
            }
        }
    }

    @Override
    public void refreshEnd() {
        // the end is learnt from the peer's signals and reads, never synchronously
    }

    /** The peer signalled that the queue now ends at {@code queueEnd}; from any thread. */
    void arrived(long queueEnd) {
        signalledEnd.accumulateAndGet(queueEnd, Math::max);
        session.wake();
    }

    /** The group's queues are read at another broker of the group from now on; from any thread. */
    void sourceChanged() {
        sourceChanged = true;
        session.wake();
    }

    @Override
    public StoredMessage messageAt(long offset) {
        return restored.get(offset);
    }

    @Override
    public void settle(int completed) {
        if (!session.persistent()) {
            return;
        }
        unrecorded = true;
        if (!recordScheduled) {
            recordScheduled = true;
            queues.timers().schedule(() -> session.onLoop(this::recordIfChanged), queues.recordIntervalMillis(),
                TimeUnit.MILLISECONDS);
        }
    }

    private void recordIfChanged() {
        recordScheduled = false;
        if (unrecorded && !closed) {
            record();
        }
    }

    @Override
    public CompletableFuture<?> released() {
        return session.persistent() ? record() : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<?> recordSent() {
        return released();
    }

    private CompletableFuture<?> record() {
        unrecorded = false;
        return queues.record(peer, session.clientId(), name(), session.progressOf(this));
    }

    @Override
    public void receiveMaximum(int maximum) {
        // the queue holds every message for this cursor alone: no window to share
    }

    @Override
    public CompletableFuture<?> close(boolean unsubscribed) {
        closed = true;
        queues.closed(this, unsubscribed);
        if (!unsubscribed && positioned && session.persistent()) {
            return record(); // the peer's record is where a resumed session starts, on any broker
        }
        return CompletableFuture.completedFuture(null);
    }

    private void request(Supplier<CompletableFuture<?>> send) {
        requests.send(send);
    }

    private CompletableFuture<?> requestOpen() {
        return queues.open(peer, session.clientId(), List.of(name())).thenAccept(positions -> {
            PeerMessages.Position position = positions.get(name());
            if (position == null) {
                throw new IllegalStateException("no subscription at " + peer.brokerName() + " yet");
            }
            openedAt = firstUnacknowledged(position);
        });
    }

    /**
     * Without its messages at hand, a cursor that opens late resends what was unacknowledged as
     * new deliveries: from the first of them, or from where the session stood.
     */
    private static long firstUnacknowledged(PeerMessages.Position position) {
        return position.unacknowledged().stream().mapToLong(pending -> pending.delivery().offset())
            .min().orElse(position.nextOffset());
    }

    private CompletableFuture<?> requestRead() {
        long from = nextOffset();
        return queues.read(peer, name(), from).thenAccept(result -> fetched = new Fetched(from, result));
    }
}
