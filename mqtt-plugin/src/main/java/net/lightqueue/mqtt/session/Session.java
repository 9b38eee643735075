package net.lightqueue.mqtt.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import net.lightqueue.dispatch.LightQueues;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.delivery.Deliverer;
import net.lightqueue.mqtt.delivery.Inflight;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * A client's session: a set of cursors over light queues plus the deliveries awaiting
 * acknowledgement. It is attached to one connection at a time and runs on that connection's
 * event loop; a connection that takes over the client id without a clean start takes the
 * session with it.
 *
 * <p>Its subscriber id towards the dispatcher is the client id plus a per-session suffix, so
 * the asynchronous unsubscribes of an ended session can never remove the subscriptions of a
 * newer session of the same client.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.session");

    private final String subscriberId;
    private final LightQueues queues;
    private final ArrivalRouter router;
    private final int batchSize;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final Inflight inflight = new Inflight();
    private final ConcurrentMap<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile MqttConnection connection;
    private Deliverer deliverer;

    public Session(String clientId, LightQueues queues, ArrivalRouter router, int batchSize) {
        this.subscriberId = clientId + "#" + UUID.randomUUID();
        this.queues = queues;
        this.router = router;
        this.batchSize = batchSize;
    }

    public String subscriberId() {
        return subscriberId;
    }

    /** Binds the session to a connection, on that connection's event loop; resends what is unacknowledged. */
    public void attach(MqttConnection attached) {
        connection = attached;
        deliverer = new Deliverer(attached, inflight, queues, batchSize);
        deliverer.resendInflight();
        wake();
    }

    /** Unbinds the session from its connection, on that connection's event loop, before another takes it. */
    public void detach() {
        connection = null;
        deliverer = null;
    }

    public Deliverer deliverer() {
        return deliverer;
    }

    public boolean hasCursor(String filter) {
        return cursors.containsKey(filter);
    }

    /** Adds an applied subscription, or replaces the options of an existing one keeping its position [MQTT-3.8.4-3]. */
    public void addCursor(String filter, SubscriptionOptions options, Subscription applied) {
        Cursor existing = cursors.get(filter);
        if (existing != null) {
            existing.options(options);
            return;
        }
        // Listen first, then read the end: an arrival in between is seen either way.
        router.add(filter, this);
        cursors.put(filter, new Cursor(filter, options, applied.startOffset(), queues.maxOffset(filter)));
    }

    /** Stops delivering from the filter at once [MQTT-3.10.4-2]; false if there was no such subscription. */
    public boolean removeCursor(String filter) {
        if (cursors.remove(filter) == null) {
            return false;
        }
        router.remove(filter, this);
        return true;
    }

    /** The session ends with its connection: its subscriptions are withdrawn from the dispatcher. */
    public void end() {
        connection = null;
        for (String filter : List.copyOf(cursors.keySet())) {
            removeCursor(filter);
            queues.unsubscribe(subscriberId, filter).exceptionally(failure -> {
                LOG.warn("could not withdraw subscription '{}' of ended session {}: {}", filter, subscriberId, failure.toString());
                return null;
            });
        }
    }

    /** From the dispatcher's signal thread: the filter's queue now ends at {@code queueEnd}. */
    void arrived(String filter, long queueEnd) {
        arrivals.merge(filter, queueEnd, Math::max);
        wake();
    }

    /** Schedules one delivery pass on the attached connection's event loop (coalesced). */
    public void wake() {
        MqttConnection current = connection;
        if (current != null && wakeScheduled.compareAndSet(false, true)) {
            current.channel().eventLoop().execute(this::deliver);
        }
    }

    private void deliver() {
        wakeScheduled.set(false);
        MqttConnection current = connection;
        if (current == null || !current.channel().eventLoop().inEventLoop() || deliverer == null) {
            return; // the session moved to another connection meanwhile; it wakes up there
        }
        for (Map.Entry<String, Long> arrival : arrivals.entrySet()) {
            Cursor cursor = cursors.get(arrival.getKey());
            if (cursor != null) {
                cursor.arrived(arrival.getValue());
            }
            arrivals.remove(arrival.getKey(), arrival.getValue());
        }
        deliverer.deliver(cursors());
    }

    Collection<Cursor> cursors() {
        return cursors.values();
    }
}
