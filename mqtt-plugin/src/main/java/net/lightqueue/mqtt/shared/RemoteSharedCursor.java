package net.lightqueue.mqtt.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.mqtt.cluster.PeerRequests;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.delivery.SubscriptionPosition;

/**
 * A session's membership in the group of its share at another broker group, which assigns that
 * group's messages to the member's proxy there ({@link ProxyMembers}). Like the local
 * {@link SharedCursor} it has no position of its own. It never blocks the event loop: a
 * {@link SharedCodes#TAKE} goes out when the peer signalled messages or the member completed
 * some, one at a time, and its messages are handed to the deliverer once they arrived. Each
 * take tells the peer which of its messages are still unacknowledged here, so the peer counts
 * the rest as complete; with one take in flight at a time, it never counts a message it handed
 * out but whose answer had not arrived yet.
 *
 * <p>Confined to the session's event loop, except the completions of its requests and the
 * signals, which only set what the loop picks up and wake the session.
 */
final class RemoteSharedCursor extends SubscriptionPosition {

    private final Peer peer;
    private final ShareMessages.MemberId member;
    private final Inflight inflight;
    private final Runnable wake;
    private final RemoteShares remote;
    private final PeerRequests requests;
    /** The request in flight, or the last one: leaving waits for it, so no message it takes is lost. */
    private volatile CompletableFuture<?> lastRequest = CompletableFuture.completedFuture(null);
    private volatile boolean joined;
    /** The peer may have assigned messages: set by its signals and non-empty takes, cleared when a take goes out. */
    private volatile boolean ready = true;
    /** Taken and not yet read by the deliverer. */
    private volatile List<StoredMessage> fetched = List.of();
    private volatile boolean closed;
    private volatile int window = 1;
    /** Deliveries completed here that the peer has not been told of. */
    private boolean unsettled;

    RemoteSharedCursor(Peer peer, ShareMessages.MemberId member, SubscriptionOptions options, Inflight inflight,
                       Runnable wake, RemoteShares remote) {
        super(member.share(), options, 0);
        this.peer = peer;
        this.member = member;
        this.inflight = inflight;
        this.wake = wake;
        this.remote = remote;
        this.requests = new PeerRequests(remote.clock(), remote.timers(), wake);
    }

    /** Joins at the peer at once, so the member gets a share of what the peer stores from now on. */
    void open() {
        request(this::requestJoin);
    }

    ShareMessages.MemberId member() {
        return member;
    }

    boolean joined() {
        return joined && !closed;
    }

    @Override
    public String peerName() {
        return peer.brokerName();
    }

    @Override
    public boolean mayHaveMessages() {
        if (closed) {
            return false;
        }
        if (!fetched.isEmpty()) {
            return true;
        }
        if (!joined) {
            request(this::requestJoin);
        }
        if (joined && (ready || unsettled)) {
            request(this::requestTake);
        }
        return !fetched.isEmpty(); // an answer that came at once is delivered in this pass
    }

    @Override
    public ReadResult read(int count) {
        List<StoredMessage> ready = fetched;
        List<StoredMessage> read = ready.size() <= count ? ready : List.copyOf(ready.subList(0, count));
        fetched = ready.size() <= count ? List.of() : List.copyOf(ready.subList(count, ready.size()));
        return new ReadResult(read, nextOffset() + read.size(), 0);
    }

    @Override
    public void refreshEnd() {
        // the peer signals what it assigned
    }

    @Override
    public StoredMessage messageAt(long offset) {
        return null; // a membership's deliveries are not restored: the group assigns them again
    }

    @Override
    public void settle(int completed) {
        unsettled = true;
        mayHaveMessages(); // tells the peer now, or after the take in flight
    }

    /** PUBREC completes the message for the group: the peer is told with the next take, in the group's next record. */
    @Override
    public CompletableFuture<?> released() {
        settle(1);
        return CompletableFuture.completedFuture(null);
    }

    /** Nothing to wait for: the peer's group records its assignments, not per send. */
    @Override
    public CompletableFuture<?> recordSent() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void receiveMaximum(int maximum) {
        window = maximum;
    }

    /** The peer signalled that the group assigned messages to this member; from any thread. */
    void ready() {
        ready = true;
        wake.run();
    }

    /** What the peer's keep-alive answer says of the proxy; from any thread. */
    void state(byte state) {
        if (state == ShareMessages.UNKNOWN) {
            joined = false; // the peer restarted, or expired the proxy: join again
            wake.run();
        } else if (state == ShareMessages.READY) {
            ready();
        }
    }

    /**
     * The member leaves the group at the peer, once a take in flight answered: what it did not
     * complete, including what that take brought, is assigned again there. Nothing waits for
     * it (a session moving to another broker must not wait on a peer that is down): a leave
     * that does not arrive ends with the proxy's expiry.
     */
    @Override
    public CompletableFuture<?> close(boolean unsubscribed) {
        closed = true;
        remote.closed(this);
        List<Long> open = new ArrayList<>(inflight.unacknowledgedOffsets(this));
        inflight.dropUnacknowledged(this);
        lastRequest.handle((done, failure) -> {
            List<Long> incomplete = new ArrayList<>(open);
            fetched.forEach(message -> incomplete.add(message.queueOffset()));
            fetched = List.of();
            return remote.leave(peer, new ShareMessages.Take(member, 0, 0, incomplete));
        });
        return CompletableFuture.completedFuture(null);
    }

    /** Sends the request unless one is in flight, or after a failure the retry is not yet due. */
    private void request(Supplier<CompletableFuture<?>> send) {
        CompletableFuture<?> sent = requests.send(send);
        if (sent != null) {
            lastRequest = sent;
        }
    }

    private CompletableFuture<?> requestJoin() {
        return remote.join(peer, new ShareMessages.Take(member, window, 0, List.of())).thenRun(() -> {
            joined = true;
            ready = true;
        });
    }

    /** On the event loop: what is unacknowledged here or taken and not yet read is not complete. */
    private CompletableFuture<?> requestTake() {
        List<Long> incomplete = new ArrayList<>(inflight.unacknowledgedOffsets(this));
        ready = false;
        unsettled = false;
        int count = Math.max(0, Math.min(remote.batchSize(), window - incomplete.size()));
        return remote.take(peer, new ShareMessages.Take(member, window, count, incomplete)).thenAccept(taken -> {
            if (taken == null) {
                joined = false;
                return;
            }
            if (!taken.messages().isEmpty()) {
                fetched = taken.messages();
                ready = true; // there may be more
            }
        });
    }
}
