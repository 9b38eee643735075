package net.lightqueue.mqtt.session;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.mqtt.persistence.ClientOrder;
import net.lightqueue.mqtt.persistence.HandoverRecord;
import net.lightqueue.mqtt.persistence.SessionRecord;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateChanges;
import net.lightqueue.mqtt.persistence.WillRecord;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Creates, resumes, ends and expires sessions, and publishes their wills; every decision is
 * written to the commitlog before the client or a timer relies on it. Each client id's steps
 * run in order ({@link ClientOrder}); timers carry the connection epoch they were set for and
 * do nothing once the client came back.
 *
 * <p>A session that outlives its connection (expiry above 0) is only state: subscriptions in
 * the dispatcher, a session record, progress per filter and the will. At start, sessions whose
 * connection the broker lost in a crash are treated as disconnected at that moment, and expiry
 * that fell while the broker was down takes effect.
 */
public final class SessionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.session");

    /** A session for an accepted CONNECT, or none when the session limit refuses a new one. */
    public record Opened(Session session, boolean sessionPresent) {
        public boolean refused() {
            return session == null;
        }
    }

    private final SessionServices services;
    private final SessionStore store;
    private final WillPublisher wills;
    private final ClientOrder order = new ClientOrder();
    private final AtomicInteger sessions = new AtomicInteger();

    public SessionLifecycle(SessionServices services, WillPublisher wills) {
        this.services = services;
        this.store = services.store();
        this.wills = wills;
    }

    /**
     * Settles the session of an accepted CONNECT on its connection's event loop: takes over the
     * previous connection's session or restores a stored one, or starts afresh (clean start,
     * none stored, or expired), and records the connection. The future completes after the
     * state is written, so CONNACK's session present is exact [MQTT-3.2.2-2, MQTT-3.2.2-3].
     *
     * @param loop the event loop of the connection
     * @param previous the session a taken-over connection held, or null
     */
    public CompletableFuture<Opened> open(EventLoop loop, SessionRequest request, Session previous) {
        return order.run(request.clientId(), loop, () -> claimed(request, previous)
            .thenComposeAsync(adopted -> openNow(loop, request, previous), loop));
    }

    /**
     * Unless the connection it replaces held the session here, takes it over from the broker
     * group that holds it, and makes this broker its owner.
     */
    private CompletableFuture<Long> claimed(SessionRequest request, Session previous) {
        if (previous != null) {
            return CompletableFuture.completedFuture(0L);
        }
        String clientId = request.clientId();
        return services.claims().claim(clientId).thenCompose(handover -> {
            if (handover == null) {
                return withoutItsHolder(request);
            }
            if (store.session(clientId) == null) {
                sessions.incrementAndGet();
            }
            WillRecord will = handover.will();
            // Its connection there ended without DISCONNECT; a delayed will is cancelled by this one.
            boolean willDue = handover.session().connected() && will != null && will.delaySeconds() == 0;
            CompletableFuture<Void> published = willDue ? wills.publish(clientId, will) : CompletableFuture.completedFuture(null);
            return published.thenCompose(done -> store.write(handover.adopt(clientId)));
        });
    }

    /**
     * No group that answered holds a session of the client, yet its subscriptions are here: they
     * are cluster-wide, and the group that holds the session is down, or no longer listed by the
     * name server. Unless the client starts clean, the session goes on from them and from the
     * positions the answering groups hold; its will and its received QoS 2 packet ids stay with
     * that group, which gives the session up when it is back and finds it here.
     */
    private CompletableFuture<Long> withoutItsHolder(SessionRequest request) {
        String clientId = request.clientId();
        if (request.cleanStart() || store.session(clientId) != null || store.subscriptions(clientId).isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        LOG.info("session of client '{}' resumed from its cluster-wide subscriptions: no reachable group holds it", clientId);
        sessions.incrementAndGet();
        SessionRecord record = new SessionRecord(request.protocolLevel(), request.expirySeconds(), false,
            services.clock().millis(), 0);
        return store.write(new StateChanges().session(clientId, record));
    }

    /**
     * Hands the client's session to another broker group whose broker the client connected to:
     * {@code taken} is the session its connection here held (that connection was ended), or
     * null. Records where the session stands, gives up ownership (subscriptions and this
     * broker's progress records stay: they serve the session wherever it lives) and completes
     * with the session's record, or null when none is held here.
     */
    public CompletableFuture<HandoverRecord> handOver(String clientId, CompletableFuture<Session> taken) {
        return taken.thenCompose(session -> order.run(clientId, services.timers(), () -> handOverNow(clientId, session)));
    }

    private CompletableFuture<HandoverRecord> handOverNow(String clientId, Session taken) {
        SessionRecord existing = store.session(clientId);
        StateChanges changes = new StateChanges();
        CompletableFuture<Void> recordedElsewhere = CompletableFuture.completedFuture(null);
        WillRecord will = store.will(clientId);
        if (taken != null) {
            will = taken.will();
            if (taken.expirySeconds() > 0) {
                taken.finalProgress(changes);
            }
            recordedElsewhere = taken.release();
        }
        if (existing == null) {
            return CompletableFuture.completedFuture(null);
        }
        HandoverRecord record = new HandoverRecord(existing, will, store.receivedQos2(clientId), store.memberships(clientId));
        return recordedElsewhere.thenCompose(done -> giveUp(clientId, changes)).thenApply(done -> record);
    }

    /**
     * Stops owning the session: its record, will, received QoS 2 packet ids and shared
     * memberships go, with {@code changes}. Its subscriptions and progress stay: they serve it
     * where it lives now.
     */
    private CompletableFuture<Void> giveUp(String clientId, StateChanges changes) {
        Set<String> memberships = store.memberships(clientId).keySet();
        changes.deleteSession(clientId).will(clientId, null);
        store.receivedQos2(clientId).forEach(packetId -> changes.receivedQos2(clientId, packetId, false));
        memberships.forEach(shareName -> changes.membership(clientId, shareName, null));
        return store.write(changes).thenRun(() -> {
            sessions.decrementAndGet();
            services.shared().membershipsDiscarded(memberships);
        });
    }

    /** A session that waited here for its client, which meanwhile took it to another group: it is given up. */
    private CompletableFuture<Boolean> givenUpIfHeldElsewhere(String clientId) {
        return services.claims().heldElsewhere(clientId).thenCompose(elsewhere -> {
            if (!elsewhere) {
                return CompletableFuture.completedFuture(false);
            }
            LOG.info("session of client '{}' lives on another broker group now; given up here", clientId);
            return giveUp(clientId, new StateChanges()).thenApply(done -> true);
        });
    }

    private CompletableFuture<Opened> openNow(EventLoop loop, SessionRequest request, Session previous) {
        String clientId = request.clientId();
        long now = services.clock().millis();
        SessionRecord existing = store.session(clientId);
        boolean expired = previous == null && existing != null && !existing.connected() && existing.expiresAt() <= now;
        CompletableFuture<Void> willsDue = CompletableFuture.completedFuture(null);
        if (expired) {
            willsDue = publishStoredWill(clientId); // its expiry timer has not run yet
        } else if (previous != null && previous.will() != null && previous.will().delaySeconds() == 0) {
            // Taken over: the old connection ended without DISCONNECT; a delayed will is
            // cancelled instead, by this new connection.
            willsDue = wills.publish(clientId, previous.will());
        }
        boolean resume = !request.cleanStart() && existing != null && !expired;
        SessionRecord record = new SessionRecord(request.protocolLevel(), request.expirySeconds(), true, 0,
            existing == null ? 1 : existing.epoch() + 1);
        CompletableFuture<Session> ready;
        CompletableFuture<StateChanges> changes;
        Set<String> discardedShares = Set.of();
        if (resume) {
            ready = previous != null ? CompletableFuture.completedFuture(previous) : restored(clientId, loop);
            changes = CompletableFuture.completedFuture(new StateChanges());
        } else {
            if (previous != null) {
                previous.release();
            }
            if (existing == null && sessions.get() >= services.settings().maxSessions()) {
                LOG.info("session of client '{}' refused: {} sessions exist (mqttMaxSessions)", clientId, sessions.get());
                return willsDue.thenApply(done -> new Opened(null, false));
            }
            ready = CompletableFuture.completedFuture(new Session(clientId, services));
            if (existing != null) {
                discardedShares = store.memberships(clientId).keySet();
            }
            // Subscriptions without a session here came with the cluster-wide filter set from a
            // session elsewhere: a new session starts without them.
            boolean nothingHeld = existing == null && store.subscriptions(clientId).isEmpty();
            changes = nothingHeld ? CompletableFuture.completedFuture(new StateChanges()) : store.discard(clientId);
            if (existing == null) {
                sessions.incrementAndGet();
            }
        }
        Set<String> shares = discardedShares;
        CompletableFuture<Void> willsPublished = willsDue;
        CompletableFuture<StateChanges> cleared = changes;
        return ready.thenCompose(session -> {
            session.connected(record, request.will());
            return willsPublished
                .thenCompose(done -> cleared)
                .thenCompose(pending -> store.write(pending.session(clientId, record).will(clientId, request.will())))
                .thenApply(applied -> {
                    services.shared().membershipsDiscarded(shares);
                    return new Opened(session, resume);
                });
        });
    }

    /** The stored session, with its positions in the other broker groups' queues, rebuilt on the connection's loop. */
    private CompletableFuture<Session> restored(String clientId, EventLoop loop) {
        List<SubscriptionRecord> subscriptions = store.subscriptions(clientId);
        List<String> filters = subscriptions.stream().map(SubscriptionRecord::filter).toList();
        return services.remote().positions(clientId, filters).thenApplyAsync(remotePositions -> {
            Session session = new Session(clientId, services);
            session.restore(subscriptions, store.progress(clientId), store.memberships(clientId), remotePositions);
            session.received().restore(store.receivedQos2(clientId));
            return session;
        }, loop);
    }

    /**
     * The connection that held the session ended; call on its event loop. A session without
     * expiry ends with it; any other is recorded as disconnected, with its progress, and waits
     * for a reconnect, its expiry, and its will's delay.
     */
    public void closed(Session session, Ending ending) {
        long expiry = ending.expirySeconds() >= 0 ? ending.expirySeconds() : session.expirySeconds();
        StateChanges changes = new StateChanges();
        if (expiry > 0) {
            session.finalProgress(changes);
        }
        session.release();
        SessionRecord connectedRecord = session.record();
        WillRecord will = ending.publishWill() ? session.will() : null;
        String clientId = session.clientId();
        runOnTimers(clientId, () -> {
            SessionRecord current = store.session(clientId);
            if (current == null || current.epoch() != connectedRecord.epoch()) {
                return CompletableFuture.completedFuture(null); // discarded meanwhile by a clean start
            }
            if (expiry == 0) {
                return end(clientId, will);
            }
            SessionRecord disconnected = connectedRecord.disconnected(services.clock().millis(), expiry);
            changes.session(clientId, disconnected);
            CompletableFuture<Void> willDone = CompletableFuture.completedFuture(null);
            if (will == null || will.delaySeconds() == 0) {
                changes.will(clientId, null);
                if (will != null) {
                    willDone = wills.publish(clientId, will);
                }
            }
            return willDone.thenCompose(done -> store.write(changes)).thenRun(() -> scheduleTimers(clientId, disconnected, will));
        });
    }

    /**
     * At start (and when this broker becomes the master): schedules every stored session's
     * expiry and will, treating sessions that were connected when the broker stopped or died
     * as disconnected now.
     */
    public void recover() {
        List<String> clientIds = new ArrayList<>();
        List<SessionRecord> records = new ArrayList<>();
        store.forEachSession((clientId, record) -> {
            clientIds.add(clientId);
            records.add(record);
        });
        sessions.set(clientIds.size());
        long now = services.clock().millis();
        int lost = 0;
        for (int i = 0; i < clientIds.size(); i++) {
            String clientId = clientIds.get(i);
            SessionRecord record = records.get(i);
            if (record.connected()) {
                lost++;
            }
            runOnTimers(clientId, () -> recoverNow(clientId, record, now));
        }
        LOG.info("{} stored MQTT sessions, {} of them lost their connection when the broker stopped", clientIds.size(), lost);
    }

    private CompletableFuture<Void> recoverNow(String clientId, SessionRecord record, long now) {
        SessionRecord current = store.session(clientId);
        if (current == null || current.epoch() != record.epoch() || current.connected() != record.connected()) {
            return CompletableFuture.completedFuture(null); // a client got here first
        }
        SessionRecord disconnected = record.connected() ? record.disconnected(now, record.expirySeconds()) : record;
        WillRecord will = store.will(clientId);
        CompletableFuture<Void> written = record.connected()
            ? store.write(new StateChanges().session(clientId, disconnected)).thenApply(applied -> null)
            : CompletableFuture.completedFuture(null);
        return written.thenRun(() -> scheduleTimers(clientId, disconnected, will));
    }

    private void scheduleTimers(String clientId, SessionRecord disconnected, WillRecord will) {
        long now = services.clock().millis();
        long epoch = disconnected.epoch();
        if (will != null) {
            // The will waits for its delay, or for the end of the session if that comes first.
            long due = Math.min(disconnected.disconnectedAt() + will.delaySeconds() * 1000, disconnected.expiresAt());
            schedule(due - now, () -> runOnTimers(clientId, () -> willDue(clientId, epoch)));
        }
        if (disconnected.expiresAt() != Long.MAX_VALUE) {
            schedule(disconnected.expiresAt() - now, () -> runOnTimers(clientId, () -> expiryDue(clientId, epoch)));
        }
    }

    private CompletableFuture<Void> willDue(String clientId, long epoch) {
        if (!stillDisconnected(clientId, epoch)) {
            return CompletableFuture.completedFuture(null);
        }
        return givenUpIfHeldElsewhere(clientId)
            .thenCompose(givenUp -> givenUp ? CompletableFuture.completedFuture(null) : publishStoredWill(clientId));
    }

    private CompletableFuture<Void> expiryDue(String clientId, long epoch) {
        SessionRecord current = store.session(clientId);
        if (!stillDisconnected(clientId, epoch) || current.expiresAt() > services.clock().millis()) {
            return CompletableFuture.completedFuture(null);
        }
        return givenUpIfHeldElsewhere(clientId).thenCompose(givenUp -> {
            if (givenUp) {
                return CompletableFuture.completedFuture(null);
            }
            LOG.info("session of client '{}' expired", clientId);
            return end(clientId, store.will(clientId));
        });
    }

    private boolean stillDisconnected(String clientId, long epoch) {
        SessionRecord current = store.session(clientId);
        return current != null && !current.connected() && current.epoch() == epoch;
    }

    /** The session ends: its will (if due) is published, then all its state goes. */
    private CompletableFuture<Void> end(String clientId, WillRecord will) {
        CompletableFuture<Void> willDone = will == null ? CompletableFuture.completedFuture(null) : wills.publish(clientId, will);
        Set<String> shares = store.memberships(clientId).keySet();
        return willDone
            .thenCompose(done -> store.discard(clientId))
            .thenCompose(changes -> store.write(changes.deleteSession(clientId)))
            .thenRun(() -> {
                sessions.decrementAndGet();
                services.shared().membershipsDiscarded(shares);
            });
    }

    /** Publishes the stored will, then deletes it: a crash in between publishes it again, never loses it. */
    private CompletableFuture<Void> publishStoredWill(String clientId) {
        WillRecord will = store.will(clientId);
        if (will == null) {
            return CompletableFuture.completedFuture(null);
        }
        return wills.publish(clientId, will)
            .thenCompose(done -> store.write(new StateChanges().will(clientId, null)))
            .thenApply(applied -> null);
    }

    private void schedule(long delayMillis, Runnable task) {
        services.timers().schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private void runOnTimers(String clientId, Supplier<CompletableFuture<Void>> step) {
        Executor executor = services.timers();
        order.run(clientId, executor, step).exceptionally(failure -> {
            LOG.warn("session state of client '{}' not updated: {}", clientId, failure.toString());
            return null;
        });
    }

    /** Sessions that exist, connected or waiting for their client: what mqttMaxSessions limits. */
    public int sessionCount() {
        return sessions.get();
    }

    /** Client ids with state steps queued or running. */
    public int clientsWithPendingSteps() {
        return order.pending();
    }

    /** Waits (bounded) for the state steps queued so far, e.g. the ends of connections closed at shutdown. */
    public void awaitIdle(long timeoutMillis) {
        try {
            order.idle().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("session state steps still running after {} ms at shutdown; the next start settles them", timeoutMillis);
        } catch (Exception e) {
            LOG.warn("waiting for session state steps failed: {}", e.toString());
        }
    }
}
