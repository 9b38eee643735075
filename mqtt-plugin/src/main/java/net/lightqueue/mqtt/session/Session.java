package net.lightqueue.mqtt.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.mqtt.cluster.PeerMessages;
import net.lightqueue.mqtt.cluster.RemoteSession;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.Deliverer;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.RetainedSource;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.message.StoredProperties;
import net.lightqueue.mqtt.persistence.ProgressRecord;
import net.lightqueue.mqtt.persistence.SessionRecord;
import net.lightqueue.mqtt.persistence.StateChanges;
import net.lightqueue.mqtt.persistence.WillRecord;
import net.lightqueue.mqtt.publish.ReceivedQos2;
import net.lightqueue.mqtt.shared.ShareName;

/**
 * A client's session while a connection holds it: a cursor per subscription plus the deliveries
 * awaiting acknowledgement. It runs on its connection's event loop; a connection that takes
 * over the client id without a clean start takes the session with it. Between connections a
 * session exists only as state in the commitlog (subscriptions, progress, will), from which
 * {@link #restore} rebuilds it: an offline session costs no heap.
 *
 * <p>Its subscriber id towards the dispatcher is its client id. Steps that change a client's
 * state run in order, so an ended session's unsubscribes can never overtake a newer session's
 * subscribes.
 */
public final class Session implements RemoteSession {

    private static final AtomicIntegerFieldUpdater<Session> WAKE_SCHEDULED =
        AtomicIntegerFieldUpdater.newUpdater(Session.class, "wakeScheduled");

    private final String clientId;
    private final SessionServices services;
    /**
     * Its own subscriptions: the local cursors' progress it records, the peers' cursors' progress
     * their peers record; all read merged by its deliverer.
     */
    private final FilterCursors subscriptions = new FilterCursors();
    /** Its shared subscriptions, whose groups record progress and hand out messages; null until it joins one. */
    private FilterCursors memberships;
    private final Inflight inflight;
    private final ProgressRecorder recorder;
    private final ReceivedQos2 received;
    /** 1 while a delivery pass is scheduled (a field, not an AtomicBoolean: one object fewer per session). */
    private volatile int wakeScheduled;
    /** {@link #wake}, made once: every cursor and deliverer of the session holds it. */
    private final Runnable wakeUp = this::wake;
    private volatile MqttConnection connection;
    private Deliverer deliverer;
    private SessionRecord record;
    private WillRecord will;

    Session(String clientId, SessionServices services) {
        this.clientId = clientId;
        this.services = services;
        this.inflight = new Inflight(services.deliveries());
        this.recorder = new ProgressRecorder(this, services);
        this.received = new ReceivedQos2(clientId, services.store());
    }

    @Override
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
        recorder.enabled(current.expirySeconds() > 0, subscriptions.locals());
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

    /**
     * Rebuilds the session from its state, on the connection's event loop, before it is attached.
     *
     * @param remotePositions where it stands in the other broker groups' queues, by peer and filter
     */
    void restore(List<SubscriptionRecord> stored, Map<String, ProgressRecord> progress, Map<String, byte[]> shares,
                 Map<String, Map<String, PeerMessages.Position>> remotePositions) {
        shares.forEach((shareName, options) -> join(ShareName.parse(shareName), SubscriptionOptions.decode(options)));
        for (SubscriptionRecord subscription : stored) {
            SubscriptionOptions options = SubscriptionOptions.decode(subscription.options());
            ProgressRecord recorded = progress.get(subscription.filter());
            Cursor cursor = listen(subscription.filter(), options,
                recorded == null ? subscription.startOffset() : recorded.sentUpTo(), remotePositions);
            if (recorded != null) {
                recorded.unacknowledged().forEach(delivery -> restoreDelivery(cursor, delivery));
            }
            remotePositions.forEach((peer, positions) -> restoreRemote(subscription.filter(), peer, positions));
        }
    }

    private void restoreRemote(String filter, String peer, Map<String, PeerMessages.Position> positions) {
        PeerMessages.Position position = positions.get(filter);
        if (position == null) {
            return;
        }
        for (Cursor cursor : subscriptions.peers(filter)) {
            if (peer.equals(cursor.peerName())) {
                position.unacknowledged().forEach(pending -> restoreDelivery(cursor, pending.delivery()));
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
        StoredMessage message = cursor.messageAt(delivery.offset());
        if (message == null) {
            return;
        }
        boolean retain = options.retainAsPublished() && StoredProperties.retain(message.properties());
        inflight.restore(delivery.packetId(), cursor, delivery.offset(), message, delivery.qos(), retain,
            options.subscriptionId(), false);
    }

    /** Binds the session to a connection, on that connection's event loop; resends what is unacknowledged. */
    public void attach(MqttConnection attached) {
        connection = attached;
        deliverer = new Deliverer(attached, inflight, services.settings().deliveryBatchSize(), services.undeliverable(),
            services.deliveries(), services.payloads(), wakeUp);
        sharedCursors().forEach(member -> member.receiveMaximum(attached.limits().receiveMaximum()));
        deliverer.resendInflight();
        wake();
    }

    /** Unbinds the session from its connection, on that connection's event loop, before another takes it. */
    public void detach() {
        connection = null;
        deliverer = null;
    }

    /**
     * The session leaves memory: its cursors stop. Its state is settled by {@link SessionLifecycle}.
     * Completes once what its cursors on other broker groups recorded is durable there.
     */
    CompletableFuture<Void> release() {
        detach();
        inflight.uncount();
        List<CompletableFuture<?>> recorded = new ArrayList<>();
        subscriptions.release(recorded);
        if (memberships != null) {
            memberships.release(recorded);
        }
        services.remote().released(this);
        return CompletableFuture.allOf(recorded.toArray(CompletableFuture[]::new));
    }

    /** The progress of every subscription plus unrecorded removals, for the write that ends the connection. */
    void finalProgress(StateChanges changes) {
        recorder.drainInto(changes, subscriptions.locals());
    }

    public boolean isSubscribed(String filter) {
        return subscriptions.has(filter) || memberships != null && memberships.has(filter);
    }

    /**
     * Adds a subscription the dispatcher applied from {@code startOffset}, or replaces the
     * options of an existing one keeping its position [MQTT-3.8.4-3].
     */
    public void subscribe(String filter, SubscriptionOptions options, long startOffset) {
        if (subscriptions.changeOptions(filter, options)) {
            return;
        }
        recorder.advanced(listen(filter, options, startOffset, Map.of()), 0);
    }

    /**
     * Joins a shared subscription's group in every broker group, or replaces the options of the
     * membership; its messages come from the groups.
     */
    public void join(ShareName share, SubscriptionOptions options) {
        if (memberships == null) {
            memberships = new FilterCursors();
        } else if (memberships.changeOptions(share.name(), options)) {
            return;
        }
        Cursor member = services.shared().join(share, options, inflight, wakeUp);
        List<Cursor> onPeers = services.shared().joinPeers(share, clientId, options, inflight, wakeUp);
        memberships.add(share.name(), member, onPeers);
        MqttConnection current = connection;
        if (current != null) {
            member.receiveMaximum(current.limits().receiveMaximum());
            onPeers.forEach(cursor -> cursor.receiveMaximum(current.limits().receiveMaximum()));
        }
    }

    /** Opens the subscription's cursor in this broker's queue and one in each peer's; returns the local one. */
    private Cursor listen(String filter, SubscriptionOptions options, long startOffset,
                          Map<String, Map<String, PeerMessages.Position>> remotePositions) {
        Cursor cursor = services.cursors().open(filter, options, startOffset, recorder, wakeUp);
        subscriptions.add(filter, cursor, services.remote().open(this, filter, options, remotePositions));
        return cursor;
    }

    /** The filters it is subscribed to, shared subscriptions as {@code $share/group/filter}. */
    public List<String> subscribedFilters() {
        List<String> filters = new ArrayList<>(subscriptions.keys());
        if (memberships != null) {
            filters.addAll(memberships.keys());
        }
        return filters;
    }

    /** Stops delivering from the filter at once [MQTT-3.10.4-2]; false if there was no such subscription. */
    public boolean unsubscribe(String filter) {
        return subscriptions.remove(filter) || memberships != null && memberships.remove(filter);
    }

    /**
     * Owes the subscription to {@code filter} its retained messages, sent before its queued
     * ones with RETAIN set [MQTT-3.3.1-9] (MQTT 3.1.1 [MQTT-3.3.1-8]).
     */
    public void oweRetained(String filter, RetainedSource retained) {
        Cursor cursor = subscriptions.local(filter);
        if (cursor != null && deliverer != null) {
            deliverer.owe(cursor, retained);
        }
    }

    /** The client's PUBACK; frees a place in its receive window. */
    public void onPubAck(int packetId) {
        if (deliverer != null) {
            deliverer.onPubAck(packetId);
            wake();
        }
    }

    /** The client's PUBREC; one with a failure reason code ends the delivery and frees its place. */
    public void onPubRec(int packetId, byte reasonCode) {
        if (deliverer != null) {
            deliverer.onPubRec(packetId, reasonCode);
            wake();
        }
    }

    /** The client's PUBCOMP; frees a place in its receive window. */
    public void onPubComp(int packetId) {
        if (deliverer != null) {
            deliverer.onPubComp(packetId);
            wake();
        }
    }

    @Override
    public void peerJoined(Peer peer) {
        subscriptions.forEachLocal((filter, local) -> {
            if (subscriptions.peers(filter).stream().noneMatch(cursor -> peer.brokerName().equals(cursor.peerName()))) {
                subscriptions.addPeer(filter, services.remote().open(this, filter, local.options(), peer));
            }
        });
        wake();
    }

    @Override
    public boolean persistent() {
        return record != null && record.expirySeconds() > 0;
    }

    @Override
    public ProgressRecord progressOf(Cursor cursor) {
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

    /** Runs the task on the event loop of the connection holding the session; dropped while none does. */
    @Override
    public void onLoop(Runnable task) {
        MqttConnection current = connection;
        if (current != null) {
            current.channel().eventLoop().execute(() -> {
                if (connection == current) {
                    task.run();
                }
            });
        }
    }

    /** Schedules one delivery pass on the attached connection's event loop (coalesced); from any thread. */
    @Override
    public void wake() {
        MqttConnection current = connection;
        if (current != null && WAKE_SCHEDULED.compareAndSet(this, 0, 1)) {
            current.channel().eventLoop().execute(this::deliver);
        }
    }

    private void deliver() {
        wakeScheduled = 0;
        MqttConnection current = connection;
        if (current == null || !current.channel().eventLoop().inEventLoop() || deliverer == null) {
            return; // the session moved to another connection meanwhile; it wakes up there
        }
        deliverer.deliver(subscriptions.all(), sharedCursors());
    }

    private Collection<Cursor> sharedCursors() {
        return memberships == null ? List.of() : memberships.all();
    }
}
