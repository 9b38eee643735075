package net.lightqueue.mqtt.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.delivery.Deliverer;
import net.lightqueue.mqtt.delivery.DeliveryProgress;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.message.StoredProperties;
import net.lightqueue.mqtt.persistence.ProgressRecord;
import net.lightqueue.mqtt.persistence.SessionRecord;
import net.lightqueue.mqtt.persistence.StateChanges;
import net.lightqueue.mqtt.persistence.WillRecord;
import net.lightqueue.mqtt.topic.ShareName;

/**
 * A client's session while a connection holds it: a set of cursors over light queues plus the
 * deliveries awaiting acknowledgement. It runs on its connection's event loop; a connection
 * that takes over the client id without a clean start takes the session with it. Between
 * connections a session exists only as state in the commitlog (subscriptions, progress, will),
 * from which {@link #restore} rebuilds it: an offline session costs no heap.
 *
 * <p>Its subscriber id towards the dispatcher is its client id. Steps that change a client's
 * state run in order ({@link ClientOrder}), so an ended session's unsubscribes can never
 * overtake a newer session's subscribes.
 */
public final class Session implements DeliveryProgress, QueueWatcher {

    private final String clientId;
    private final SessionServices services;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final Inflight inflight = new Inflight();
    private final ProgressRecorder recorder;
    private final ReceivedQos2 received;
    private final ConcurrentMap<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile MqttConnection connection;
    private Deliverer deliverer;
    private SessionRecord record;
    private WillRecord will;

    Session(String clientId, SessionServices services) {
        this.clientId = clientId;
        this.services = services;
        this.recorder = new ProgressRecorder(this, services, this::progressOf);
        this.received = new ReceivedQos2(clientId, services.store());
    }

    public String clientId() {
        return clientId;
    }

    public String subscriberId() {
        return clientId;
    }

    /** The QoS 2 publishes received from the client that await PUBREL. */
    public ReceivedQos2 received() {
        return received;
    }

    /** The record written for the connection that holds the session, and the will it holds. */
    void connected(SessionRecord current, WillRecord currentWill) {
        record = current;
        will = currentWill;
        recorder.enabled(current.expirySeconds() > 0, ownCursors());
        received.persistent(current.expirySeconds() > 0);
    }

    SessionRecord record() {
        return record;
    }

    WillRecord will() {
        return will;
    }

    public long expirySeconds() {
        return record.expirySeconds();
    }

    /** Rebuilds the session from its state, on the connection's event loop, before it is attached. */
    void restore(List<SubscriptionRecord> subscriptions, Map<String, ProgressRecord> progress,
                 Map<String, byte[]> memberships) {
        memberships.forEach((shareName, options) ->
            addShared(ShareName.parse(shareName), SubscriptionOptions.decode(options)));
        for (SubscriptionRecord subscription : subscriptions) {
            SubscriptionOptions options = SubscriptionOptions.decode(subscription.options());
            ProgressRecord recorded = progress.get(subscription.filter());
            Cursor cursor = listen(subscription.filter(), options,
                recorded == null ? subscription.startOffset() : recorded.sentUpTo());
            if (recorded != null) {
                recorded.unacknowledged().forEach(delivery -> restoreDelivery(cursor, delivery));
            }
        }
    }

    private void restoreDelivery(Cursor cursor, ProgressRecord.Unacknowledged delivery) {
        SubscriptionOptions options = cursor.options();
        if (delivery.released()) {
            inflight.restore(delivery.packetId(), cursor, delivery.offset(), null, delivery.qos(), false,
                options.subscriptionId(), true);
            return;
        }
        ReadResult read = services.queues().read(cursor.filter(), delivery.offset(), 1);
        if (read.messages().isEmpty() || read.messages().get(0).queueOffset() != delivery.offset()) {
            return; // deleted by commitlog retention meanwhile
        }
        StoredMessage message = read.messages().get(0);
        boolean retain = options.retainAsPublished() && StoredProperties.retain(message.properties());
        inflight.restore(delivery.packetId(), cursor, delivery.offset(), message, delivery.qos(), retain,
            options.subscriptionId(), false);
    }

    /** Binds the session to a connection, on that connection's event loop; resends what is unacknowledged. */
    public void attach(MqttConnection attached) {
        connection = attached;
        deliverer = new Deliverer(attached, inflight, services.queues(), services.settings().deliveryBatchSize(), this,
            services.undeliverable());
        sharedCursors().forEach(member -> member.group.window(member, attached.limits().receiveMaximum()));
        deliverer.resendInflight();
        wake();
    }

    /** Unbinds the session from its connection, on that connection's event loop, before another takes it. */
    public void detach() {
        connection = null;
        deliverer = null;
    }

    /** The session leaves memory: it stops listening for arrivals. Its state is settled by {@link SessionLifecycle}. */
    void release() {
        detach();
        for (Cursor cursor : List.copyOf(cursors.values())) {
            forget(cursor);
        }
        cursors.clear();
    }

    /** The progress of every cursor plus unrecorded removals, for the write that ends the connection. */
    void finalProgress(StateChanges changes) {
        recorder.drainInto(changes, ownCursors());
    }

    public Deliverer deliverer() {
        return deliverer;
    }

    public boolean hasCursor(String filter) {
        return cursors.containsKey(filter);
    }

    /**
     * Adds an applied subscription, or replaces the options of an existing one keeping its
     * position [MQTT-3.8.4-3]; returns its cursor.
     */
    public Cursor addCursor(String filter, SubscriptionOptions options, Subscription applied) {
        Cursor existing = cursors.get(filter);
        if (existing != null) {
            existing.options(options);
            return existing;
        }
        Cursor added = listen(filter, options, applied.startOffset());
        recorder.advanced(added, 0);
        return added;
    }

    /**
     * Joins a shared subscription's group, or replaces the options of the membership; returns
     * its cursor. Its messages come from the group.
     */
    public Cursor addShared(ShareName share, SubscriptionOptions options) {
        Cursor existing = cursors.get(share.name());
        if (existing != null) {
            existing.options(options);
            return existing;
        }
        SharedCursor member = services.shared().join(this, share, options);
        MqttConnection current = connection;
        if (current != null) {
            member.group.window(member, current.limits().receiveMaximum());
        }
        cursors.put(share.name(), member);
        return member;
    }

    private Cursor listen(String filter, SubscriptionOptions options, long startOffset) {
        // Listen first, then read the end: an arrival in between is seen either way.
        services.router().add(filter, this);
        Cursor cursor = new Cursor(filter, options, startOffset, services.queues().maxOffset(filter));
        cursors.put(filter, cursor);
        return cursor;
    }

    /** The filters it is subscribed to, shared subscriptions as {@code $share/group/filter}. */
    public List<String> subscribedFilters() {
        return List.copyOf(cursors.keySet());
    }

    /** Stops delivering from the filter at once [MQTT-3.10.4-2]; false if there was no such subscription. */
    public boolean removeCursor(String filter) {
        Cursor removed = cursors.remove(filter);
        if (removed == null) {
            return false;
        }
        forget(removed);
        if (!(removed instanceof SharedCursor)) {
            recorder.removed(filter);
        }
        return true;
    }

    /**
     * Stops listening for the cursor's messages. A membership gives its unacknowledged
     * messages back to the group, which sends them to another member; a delivery the client
     * already answered with PUBREC stays, as only its PUBREL may be sent again.
     */
    private void forget(Cursor cursor) {
        if (cursor instanceof SharedCursor member) {
            inflight.inOrder().removeIf(entry -> entry.offsetIn(member) != null && !entry.released());
            services.shared().leave(member);
        } else {
            services.router().remove(cursor.filter(), this);
        }
    }

    @Override
    public void advanced(Cursor cursor, int completed) {
        if (cursor instanceof SharedCursor member) {
            if (member.group.settle(member, unacknowledged(member)) > 0) {
                services.shared().completed(member.group);
            }
        } else {
            recorder.advanced(cursor, completed);
        }
    }

    /**
     * Records the cursors of a delivery the client answered with PUBREC. For a shared message,
     * PUBREC completes it for the group: it is never given to another member.
     */
    @Override
    public CompletableFuture<?> released(List<Cursor> delivered) {
        if (delivered.get(0) instanceof SharedCursor member) {
            member.group.settle(member, unacknowledged(member));
            return services.shared().record(member.group);
        }
        return recorder.recordNow(delivered);
    }

    /** The offsets of the membership's deliveries that await PUBACK or PUBREC. */
    private Set<Long> unacknowledged(SharedCursor member) {
        Set<Long> offsets = new HashSet<>();
        for (Inflight.Entry entry : inflight.inOrder()) {
            Long offset = entry.offsetIn(member);
            if (offset != null && !entry.released()) {
                offsets.add(offset);
            }
        }
        return offsets;
    }

    private ProgressRecord progressOf(Cursor cursor) {
        List<ProgressRecord.Unacknowledged> unacknowledged = new ArrayList<>();
        for (Inflight.Entry entry : inflight.inOrder()) {
            // A retained message sent on subscribe has no place in the queue (offset -1): it is
            // resent by a takeover, not after the session was stored. A delivery for several
            // subscriptions is in each of their records, under the same packet id.
            Long offset = entry.offsetIn(cursor);
            if (offset != null && offset >= 0) {
                unacknowledged.add(new ProgressRecord.Unacknowledged(offset, entry.packetId, entry.qos, entry.released()));
            }
        }
        return new ProgressRecord(cursor.nextOffset(), unacknowledged);
    }

    @Override
    public void arrived(String filter, long queueEnd) {
        arrivals.merge(filter, queueEnd, Math::max);
        wake();
    }

    /** Runs the task on the event loop of the connection holding the session; dropped while none does. */
    void onLoop(Runnable task) {
        MqttConnection current = connection;
        if (current != null) {
            current.channel().eventLoop().execute(() -> {
                if (connection == current) {
                    task.run();
                }
            });
        }
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

    /** The cursors whose progress the session records itself: all but its shared subscriptions. */
    private List<Cursor> ownCursors() {
        return cursors.values().stream().filter(cursor -> !(cursor instanceof SharedCursor)).toList();
    }

    private List<SharedCursor> sharedCursors() {
        return cursors.values().stream().filter(SharedCursor.class::isInstance).map(SharedCursor.class::cast).toList();
    }
}
