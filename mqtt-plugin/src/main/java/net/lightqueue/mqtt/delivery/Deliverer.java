package net.lightqueue.mqtt.delivery;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.codec.PublishHeader;
import net.lightqueue.mqtt.codec.Replies;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.message.StoredProperties;

/**
 * Sends a session's messages over one connection, on the connection's event loop, while the
 * client's receive window and the channel's writability allow, and handles the client's
 * acknowledgements. The session's own cursors are read merged in commitlog order, so a message
 * that several of its subscriptions match is sent once ({@link CursorMerge}); shared
 * subscriptions deliver what their groups hand out. Nothing is queued in memory beyond one
 * batch per cursor (none while the channel is not writable), one page of owed retained messages
 * and the inflight window: a client that does not keep up just stays behind in its queues.
 */
public final class Deliverer {

    private final MqttConnection connection;
    private final Inflight inflight;
    private final int batchSize;
    private final OutboundTopicAliases aliases;
    private final UndeliverableMessages undeliverable;
    private final DeliveryMetrics metrics;
    private final SharedPayloads payloads;
    private final CursorMerge merge;
    private final Runnable wake;
    // Both are made while there is something in them only: an idle connection holds neither.
    /** Retained messages owed to new subscriptions, sent before the queues; null when none are. */
    private OwedRetained owedRetained;
    /** Deliveries of an earlier connection not yet resent on this one, in sending order; null when none. */
    private ArrayDeque<Inflight.Entry> toResend;
    /**
     * A pass's deliveries from its first QoS 2 one on, written once the packet ids of the QoS 2
     * ones are recorded ({@link Cursor#recordSent}); later passes wait for them, to keep the order.
     */
    private final List<Held> held = new ArrayList<>();

    /** A delivery planned and, for QoS 1/2, in flight, but not yet written; {@code entry} is null for QoS 0. */
    private record Held(Plan plan, StoredMessage message, Inflight.Entry entry) {
    }

    private enum Sent { YES, EXPIRED, TOO_LARGE }

    /**
     * How one message goes to the client for the subscriptions it matches: the positions it
     * holds until acknowledged (those of the subscriptions that deliver it), the highest QoS
     * among them, RETAIN, and their subscription identifiers.
     */
    private record Plan(List<Inflight.Position> positions, int qos, boolean retain, List<Integer> subscriptionIds) {
    }

    /**
     * @param wake schedules a {@link #deliver} on the connection's event loop: for a retained page that
     *             arrived, and after held QoS 2 deliveries went out
     */
    public Deliverer(MqttConnection connection, Inflight inflight, int batchSize, UndeliverableMessages undeliverable,
                     DeliveryMetrics metrics, SharedPayloads payloads, Runnable wake) {
        this.connection = connection;
        this.wake = wake;
        this.inflight = inflight;
        this.batchSize = batchSize;
        this.undeliverable = undeliverable;
        this.metrics = metrics;
        this.payloads = payloads;
        this.merge = new CursorMerge(batchSize);
        this.aliases = OutboundTopicAliases.upTo(connection.isV5() ? connection.limits().topicAliasMaximum() : 0);
    }

    /**
     * Resends what the previous connection left unacknowledged, in order, with DUP set
     * [MQTT-4.4.0-1]: PUBLISH packets within this connection's Receive Maximum [MQTT-3.3.4-9],
     * the rest from {@link #deliver} as acknowledgements free slots, before new messages.
     */
    public void resendInflight() {
        if (inflight.size() > 0) {
            toResend = new ArrayDeque<>(inflight.inOrder());
            resend();
        }
    }

    private void resend() {
        int awaited = inflight.size();
        for (Inflight.Entry entry : toResend) {
            if (inflight.get(entry.packetId) == entry) {
                awaited--; // not yet sent on this connection
            }
        }
        for (Iterator<Inflight.Entry> entries = toResend.iterator(); entries.hasNext(); ) {
            Inflight.Entry entry = entries.next();
            if (inflight.get(entry.packetId) != entry) {
                entries.remove(); // ended meanwhile
            } else if (entry.released) {
                // Not a PUBLISH: never held back by Receive Maximum [MQTT-3.3.4-10].
                connection.channel().write(Replies.pubReply(MqttMessageType.PUBREL, entry.packetId, (byte) 0));
                entries.remove();
                awaited++;
            } else if (awaited < connection.limits().receiveMaximum()) {
                entries.remove();
                StoredMessage message = entry.messageToResend();
                if (message != null && write(entry.positions.get(0).cursor(), message, entry.qos, entry.retain,
                    entry.subscriptionIds, entry.packetId, true)) {
                    entry.sent();
                    awaited++;
                } else {
                    // Deleted by retention, expired meanwhile, or too large for this connection's client.
                    inflight.remove(entry.packetId);
                    completed(entry);
                }
            }
        }
        if (toResend.isEmpty()) {
            toResend = null;
        }
        connection.channel().flush();
    }

    /**
     * Owes the subscription of {@code cursor} its retained messages, sent from the next
     * {@link #deliver} on with RETAIN set [MQTT-3.3.1-9] (MQTT 3.1.1 [MQTT-3.3.1-8]).
     */
    public void owe(Cursor cursor, RetainedSource source) {
        if (owedRetained == null) {
            owedRetained = new OwedRetained(connection, wake);
        }
        owedRetained.owe(cursor, source);
    }

    /**
     * Sends owed retained messages, then from the cursors, as long as the client can take it.
     *
     * @param merged cursors over this broker's queues, read merged in commitlog order
     * @param separate cursors whose messages go out on their own, such as shared subscriptions'
     *                 (a message that also matches a subscription of the session is sent for each)
     */
    public void deliver(Collection<Cursor> merged, Collection<Cursor> separate) {
        Channel channel = connection.channel();
        if (!held.isEmpty()) {
            return; // the held deliveries go first; writing them wakes the next pass
        }
        if (toResend != null) {
            resend();
            if (toResend != null) {
                return;
            }
        }
        deliverRetained(channel);
        boolean progressed = owedRetained == null;
        merge.cursors(merged);
        while (progressed && channel.isWritable() && !connection.closing()) {
            progressed = deliverMerged(channel);
            for (Cursor cursor : separate) {
                if (cursor.mayHaveMessages() && deliverBatch(cursor)) {
                    progressed = true;
                }
            }
            channel.flush();
        }
        if (!channel.isWritable()) {
            merge.dropReadAhead(); // read again once the client takes more
        }
        writeHeldOnceRecorded();
    }

    private void deliverRetained(Channel channel) {
        if (owedRetained == null) {
            return;
        }
        while (channel.isWritable() && !connection.closing()) {
            OwedRetained.Owed next = owedRetained.next();
            if (next == null) {
                break;
            }
            Plan plan = plan(List.of(new Inflight.Position(next.cursor(), -1)), next.message(), true);
            if (plan.qos() > 0 && inflight.size() >= connection.limits().receiveMaximum()) {
                break;
            }
            owedRetained.sent();
            if (!plan.positions().isEmpty()) {
                offer(plan, next.message());
            }
        }
        channel.flush();
        if (owedRetained.settled()) {
            owedRetained = null;
        }
    }

    /** Sends from the session's own cursors, one copy per message, until they are empty or the client is full. */
    private boolean deliverMerged(Channel channel) {
        boolean progressed = false;
        int unflushed = 0;
        while (channel.isWritable() && !connection.closing()) {
            List<CursorMerge.Buffer> group = merge.next();
            if (group.isEmpty()) {
                break;
            }
            List<Inflight.Position> matching = new ArrayList<>(group.size());
            for (CursorMerge.Buffer buffer : group) {
                matching.add(new Inflight.Position(buffer.cursor, buffer.head().queueOffset()));
            }
            StoredMessage message = group.get(0).head();
            Plan plan = plan(matching, message, false);
            if (plan.qos() > 0 && inflight.size() >= connection.limits().receiveMaximum()) {
                break;
            }
            boolean ended = plan.positions().isEmpty() || offer(plan, message) == 1;
            for (CursorMerge.Buffer buffer : group) {
                // A subscription that does not deliver it (No Local) is done with it at once.
                merge.take(buffer, ended || !holds(plan, buffer.cursor));
            }
            progressed = true;
            if (++unflushed == batchSize) {
                channel.flush();
                unflushed = 0;
            }
        }
        merge.report();
        return progressed;
    }

    /** Sends a batch of a cursor that is not merged, such as what a shared subscription's group handed out. */
    private boolean deliverBatch(Cursor cursor) {
        int window = connection.limits().receiveMaximum() - inflight.size();
        // Only QoS 1/2 deliveries take a window slot; a batch never holds more than fit.
        int count = cursor.options().qos() > 0 ? Math.min(batchSize, window) : batchSize;
        if (count <= 0) {
            return false;
        }
        ReadResult result = cursor.read(count);
        boolean nothing = result.messages().isEmpty() && result.nextOffset() == cursor.nextOffset();
        int completed = 0;
        for (StoredMessage message : result.messages()) {
            Plan plan = plan(List.of(new Inflight.Position(cursor, message.queueOffset())), message, false);
            completed += plan.positions().isEmpty() ? 1 : offer(plan, message);
        }
        cursor.advance(result.nextOffset(), nothing);
        if (!nothing) {
            cursor.settle(completed);
        }
        return !nothing;
    }

    /**
     * Decides how a message goes out for the subscriptions it matches (MQTT 5 section 3.3.4):
     * it is delivered if at least one of them delivers it (No Local keeps a client's own messages
     * from a subscription [MQTT-3.8.3-3]), at the highest QoS they grant [MQTT-3.3.4-2], with
     * all their subscription identifiers [MQTT-3.3.4-4], and with RETAIN as published if any of
     * them has Retain As Published, else cleared [MQTT-3.3.1-12, MQTT-3.3.1-13].
     *
     * @param onSubscribe a retained message sent for a new subscription: RETAIN set [MQTT-3.3.1-9]
     */
    private Plan plan(List<Inflight.Position> matching, StoredMessage message, boolean onSubscribe) {
        int published = StoredProperties.qos(message.properties());
        boolean retainedMessage = StoredProperties.retain(message.properties());
        Boolean own = null;
        List<Inflight.Position> delivering = matching;
        List<Integer> subscriptionIds = List.of();
        int qos = 0;
        boolean retain = false;
        for (int i = 0; i < matching.size(); i++) {
            SubscriptionOptions options = matching.get(i).cursor().options();
            if (options.noLocal()) {
                if (own == null) {
                    own = Objects.equals(connection.clientId(), StoredProperties.clientId(message.properties()));
                }
                if (own) {
                    if (delivering == matching) {
                        delivering = new ArrayList<>(matching.subList(0, i));
                    }
                    continue;
                }
            }
            if (delivering != matching) {
                delivering.add(matching.get(i));
            }
            qos = Math.max(qos, Math.min(published, options.qos()));
            retain |= onSubscribe || options.retainAsPublished() && retainedMessage;
            if (options.subscriptionId() > 0) {
                subscriptionIds = subscriptionIds.isEmpty() ? List.of(options.subscriptionId())
                    : append(subscriptionIds, options.subscriptionId());
            }
        }
        return new Plan(delivering, qos, retain, subscriptionIds);
    }

    private static List<Integer> append(List<Integer> list, int value) {
        List<Integer> longer = new ArrayList<>(list.size() + 1);
        longer.addAll(list);
        longer.add(value);
        return longer;
    }

    private static boolean holds(Plan plan, Cursor cursor) {
        for (Inflight.Position position : plan.positions()) {
            if (position.cursor() == cursor) {
                return true;
            }
        }
        return false;
    }

    /** @return 1 when the delivery ended at once (QoS 0, or not sent at all), 0 when it awaits acknowledgement */
    private int offer(Plan plan, StoredMessage message) {
        Inflight.Entry entry = plan.qos() == 0 ? null
            : inflight.add(plan.positions(), message, plan.qos(), plan.retain(), plan.subscriptionIds());
        if (plan.qos() == 2 || !held.isEmpty()) {
            held.add(new Held(plan, message, entry));
            return entry == null ? 1 : 0;
        }
        return writeOffered(plan, message, entry);
    }

    private int writeOffered(Plan plan, StoredMessage message, Inflight.Entry entry) {
        Cursor first = plan.positions().get(0).cursor();
        if (entry == null) {
            write(first, message, 0, plan.retain(), plan.subscriptionIds(), 0, false);
            return 1;
        }
        if (!write(first, message, plan.qos(), plan.retain(), plan.subscriptionIds(), entry.packetId, false)) {
            inflight.remove(entry.packetId);
            return 1;
        }
        entry.sent();
        return 0;
    }

    /**
     * Writes the held deliveries once every cursor of their QoS 2 ones recorded its packet ids, or
     * at once when nothing needs recording (a session that ends with its connection). A
     * connection that closes meanwhile leaves them in flight: the next connection resends them.
     */
    private void writeHeldOnceRecorded() {
        if (held.isEmpty()) {
            return;
        }
        Set<Cursor> sending = new LinkedHashSet<>();
        for (Held delivery : held) {
            if (delivery.entry() != null && delivery.entry().qos == 2) {
                delivery.entry().positions.forEach(position -> sending.add(position.cursor()));
            }
        }
        CompletableFuture<?> recorded = CompletableFuture.allOf(
            sending.stream().map(Cursor::recordSent).toArray(CompletableFuture[]::new));
        if (recorded.isDone() && !recorded.isCompletedExceptionally()) {
            writeHeld();
            return;
        }
        recorded.whenComplete((done, failure) -> connection.channel().eventLoop().execute(() -> {
            if (failure != null) {
                held.clear();
                connection.disconnect(MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR.byteValue(),
                    "could not record QoS 2 deliveries: " + failure);
                return;
            }
            writeHeld();
            wake.run();
        }));
    }

    private void writeHeld() {
        List<Held> writing = List.copyOf(held);
        held.clear();
        if (connection.closing()) {
            return;
        }
        for (Held delivery : writing) {
            int ended = writeOffered(delivery.plan(), delivery.message(), delivery.entry());
            if (ended == 1 && delivery.entry() != null) {
                completed(delivery.entry()); // expired, or too large for the client: its positions move on
            }
        }
        connection.channel().flush();
    }

    /** Every position of the delivery completed it. */
    private void completed(Inflight.Entry entry) {
        for (Inflight.Position position : entry.positions) {
            position.cursor().settle(1);
        }
    }

    /**
     * @return false when the message is not sent: expired, too large for the client, or not
     *         convertible to a PUBLISH (each counted as undeliverable); the caller then
     *         completes the delivery, so one message never holds up the subscription
     */
    private boolean write(Cursor cursor, StoredMessage message, int qos, boolean retain, List<Integer> subscriptionIds,
                          int packetId, boolean dup) {
        try {
            Sent sent = send(message, qos, retain, subscriptionIds, packetId, dup);
            if (sent == Sent.EXPIRED) {
                undeliverable.expired();
            } else if (sent == Sent.TOO_LARGE) {
                undeliverable.skipped(connection.clientId(), cursor.name(), message.queueOffset(),
                    UndeliverableMessages.Reason.TOO_LARGE,
                    "larger than the client's Maximum Packet Size " + connection.limits().maximumPacketSize());
            }
            return sent == Sent.YES;
        } catch (RuntimeException e) {
            undeliverable.skipped(connection.clientId(), cursor.name(), message.queueOffset(),
                UndeliverableMessages.Reason.NOT_CONVERTIBLE, e.toString());
            return false;
        }
    }

    private Sent send(StoredMessage message, int qos, boolean retain, List<Integer> subscriptionIds, int packetId,
                      boolean dup) {
        String topic = message.mqttTopic();
        long now = System.currentTimeMillis();
        long remaining = OutboundPublish.remainingSeconds(message, now);
        if (remaining == 0) {
            return Sent.EXPIRED; // [MQTT-3.3.2-5], for v3 subscribers too
        }
        MqttProperties properties = connection.isV5()
            ? OutboundPublish.properties(message, subscriptionIds, remaining) : MqttProperties.NO_PROPERTIES;
        String topicName = topic;
        int alias = aliases.known(topic);
        boolean newAlias = alias == 0;
        if (newAlias) {
            alias = aliases.next();
        } else {
            topicName = ""; // the client knows the alias (MQTT 5 section 3.3.2.3.4)
        }
        if (alias != 0) {
            properties.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
        }
        // Counted as encoded, alias included: it may make a length field one byte longer.
        int size = PublishHeader.packetSize(topicName, qos, properties, message.body().length, connection.isV5());
        if (size > connection.limits().maximumPacketSize()) {
            return Sent.TOO_LARGE; // the client must never get more than it allows [MQTT-3.1.2-24]
        }
        if (newAlias && alias != 0) {
            aliases.assign(topic); // only once the PUBLISH that tells the client goes out
        }
        connection.channel().write(OutboundPublish.build(topicName, qos, retain, dup, packetId, properties,
            payloads.payload(message)));
        if (!dup && message.queueOffset() >= 0) {
            metrics.firstWritten(message, now); // not a resend, nor a retained message sent on subscribe
        }
        return Sent.YES;
    }

    public void onPubAck(int packetId) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry != null && entry.qos == 1) {
            inflight.remove(packetId);
            completed(entry);
        }
    }

    public void onPubRec(int packetId, byte reasonCode) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry == null || entry.qos != 2) {
            connection.send(Replies.pubReply(MqttMessageType.PUBREL, packetId,
                MqttReasonCodes.PubRel.PACKET_IDENTIFIER_NOT_FOUND.byteValue()));
            return;
        }
        if ((reasonCode & 0xFF) >= 0x80) {
            inflight.remove(packetId); // the client refused it: the flow ends here
            completed(entry);
            return;
        }
        if (entry.released) {
            return; // a repeated PUBREC: PUBREL is on its way
        }
        entry.released = true;
        // Recorded before PUBREL, so the message is never sent again, even after a crash.
        released(entry).whenComplete((recorded, failure) -> connection.channel().eventLoop().execute(() -> {
            if (failure != null) {
                connection.disconnect(MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR.byteValue(),
                    "could not record PUBREC: " + failure);
            } else if (!connection.closing()) {
                connection.send(Replies.pubReply(MqttMessageType.PUBREL, packetId, (byte) 0));
            }
        }));
    }

    private static CompletableFuture<?> released(Inflight.Entry entry) {
        if (entry.positions.size() == 1) {
            return entry.positions.get(0).cursor().released();
        }
        return CompletableFuture.allOf(entry.positions.stream()
            .map(position -> position.cursor().released()).toArray(CompletableFuture[]::new));
    }

    public void onPubComp(int packetId) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry != null && entry.released) {
            inflight.remove(packetId);
            completed(entry);
        }
    }
}
