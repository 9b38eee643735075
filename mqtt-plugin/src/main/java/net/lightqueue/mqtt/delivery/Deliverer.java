package net.lightqueue.mqtt.delivery;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import net.lightqueue.dispatch.LightQueues;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.codec.Replies;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.message.StoredProperties;
import net.lightqueue.mqtt.session.Cursor;
import net.lightqueue.mqtt.session.SubscriptionOptions;

/**
 * Sends a session's messages over one connection: reads each cursor's queue in batches, on
 * the connection's event loop, while the client's receive window and the channel's
 * writability allow, and handles the client's acknowledgements. Nothing is queued in memory
 * beyond one batch and the inflight window: a client that does not keep up just stays behind
 * in its queues.
 */
public final class Deliverer {

    private final MqttConnection connection;
    private final Inflight inflight;
    private final LightQueues queues;
    private final int batchSize;
    private final OutboundTopicAliases aliases;
    private final DeliveryProgress progress;
    private final UndeliverableMessages undeliverable;
    /** Retained messages owed to new subscriptions: sent first, as the client's window allows. */
    private final ArrayDeque<Owed> retained = new ArrayDeque<>();

    private record Owed(Cursor cursor, StoredMessage message) {
    }

    private enum Sent { YES, EXPIRED, TOO_LARGE }

    public Deliverer(MqttConnection connection, Inflight inflight, LightQueues queues, int batchSize,
                     DeliveryProgress progress, UndeliverableMessages undeliverable) {
        this.connection = connection;
        this.inflight = inflight;
        this.queues = queues;
        this.batchSize = batchSize;
        this.progress = progress;
        this.undeliverable = undeliverable;
        this.aliases = new OutboundTopicAliases(connection.isV5() ? connection.limits().topicAliasMaximum() : 0);
    }

    /** Resends what the previous connection left unacknowledged, with DUP set [MQTT-4.4.0-1]. */
    public void resendInflight() {
        for (Iterator<Inflight.Entry> entries = inflight.inOrder().iterator(); entries.hasNext(); ) {
            Inflight.Entry entry = entries.next();
            if (entry.released) {
                connection.channel().write(Replies.pubReply(MqttMessageType.PUBREL, entry.packetId, (byte) 0));
            } else if (!write(entry.cursor, entry.message, entry.qos, entry.retain, entry.subscriptionId, entry.packetId,
                true)) {
                entries.remove(); // expired meanwhile, or too large for this connection's client
                progress.advanced(entry.cursor, 1);
            }
        }
        connection.channel().flush();
    }

    /**
     * Owes the subscription of {@code cursor} its retained messages, sent by the next
     * {@link #deliver} with RETAIN set [MQTT-3.3.1-9] (MQTT 3.1.1 [MQTT-3.3.1-8]).
     */
    public void owe(Cursor cursor, List<StoredMessage> messages) {
        messages.forEach(message -> retained.add(new Owed(cursor, message)));
    }

    /** Sends owed retained messages, then from the cursors, one batch per cursor in turn, as long as the client can take it. */
    public void deliver(Collection<Cursor> cursors) {
        Channel channel = connection.channel();
        deliverRetained(channel);
        boolean progressed = retained.isEmpty();
        while (progressed && channel.isWritable() && !connection.closing()) {
            progressed = false;
            for (Cursor cursor : cursors) {
                if (cursor.mayHaveMessages() && deliverBatch(cursor)) {
                    progressed = true;
                }
            }
            channel.flush();
        }
    }

    private void deliverRetained(Channel channel) {
        while (!retained.isEmpty() && channel.isWritable() && !connection.closing()) {
            Owed next = retained.peek();
            int qos = Math.min(StoredProperties.qos(next.message().properties()), next.cursor().options().qos());
            if (qos > 0 && inflight.size() >= connection.limits().receiveMaximum()) {
                break;
            }
            retained.poll();
            offer(next.cursor(), next.message(), true);
        }
        channel.flush();
    }

    private boolean deliverBatch(Cursor cursor) {
        int window = connection.limits().receiveMaximum() - inflight.size();
        // Only QoS 1/2 deliveries take a window slot; a batch never holds more than fit.
        int count = cursor.options().qos() > 0 ? Math.min(batchSize, window) : batchSize;
        if (count <= 0) {
            return false;
        }
        ReadResult result = cursor.read(queues, count);
        boolean nothing = result.messages().isEmpty() && result.nextOffset() == cursor.nextOffset();
        int completed = 0;
        for (StoredMessage message : result.messages()) {
            completed += offer(cursor, message, cursor.options().retainAsPublished()
                && StoredProperties.retain(message.properties()));
        }
        cursor.advance(result.nextOffset(), nothing);
        if (!nothing) {
            progress.advanced(cursor, completed);
        }
        return !nothing;
    }

    /**
     * @param retain the RETAIN flag: set for a retained message sent on subscribe; for a live
     *               one as published with Retain As Published, else cleared [MQTT-3.3.1-12, MQTT-3.3.1-13]
     * @return 1 when the delivery ended at once (QoS 0, or not sent at all), 0 when it awaits acknowledgement
     */
    private int offer(Cursor cursor, StoredMessage message, boolean retain) {
        SubscriptionOptions options = cursor.options();
        if (options.noLocal() && Objects.equals(connection.clientId(), StoredProperties.clientId(message.properties()))) {
            return 1; // [MQTT-3.8.3-3]
        }
        int qos = Math.min(StoredProperties.qos(message.properties()), options.qos());
        if (qos == 0) {
            write(cursor, message, 0, retain, options.subscriptionId(), 0, false);
            return 1;
        }
        Inflight.Entry entry = inflight.add(cursor, message, qos, retain, options.subscriptionId());
        if (!write(cursor, message, qos, retain, options.subscriptionId(), entry.packetId, false)) {
            inflight.remove(entry.packetId);
            return 1;
        }
        return 0;
    }

    /**
     * @return false when the message is not sent: expired, too large for the client, or not
     *         convertible to a PUBLISH (the last two counted as undeliverable); the caller then
     *         completes the delivery, so one message never holds up the subscription
     */
    private boolean write(Cursor cursor, StoredMessage message, int qos, boolean retain, int subscriptionId,
                          int packetId, boolean dup) {
        try {
            Sent sent = send(message, qos, retain, subscriptionId, packetId, dup);
            if (sent == Sent.TOO_LARGE) {
                undeliverable.skipped(connection.clientId(), cursor.filter(), message.queueOffset(),
                    "larger than the client's Maximum Packet Size " + connection.limits().maximumPacketSize());
            }
            return sent == Sent.YES;
        } catch (RuntimeException e) {
            undeliverable.skipped(connection.clientId(), cursor.filter(), message.queueOffset(), e.toString());
            return false;
        }
    }

    private Sent send(StoredMessage message, int qos, boolean retain, int subscriptionId, int packetId, boolean dup) {
        String topic = message.mqttTopic();
        long now = System.currentTimeMillis();
        if (OutboundPublish.expired(message, now)) {
            return Sent.EXPIRED; // [MQTT-3.3.2-5], for v3 subscribers too
        }
        MqttProperties properties = connection.isV5()
            ? OutboundPublish.properties(message, subscriptionId, now) : MqttProperties.NO_PROPERTIES;
        // Counted with the full topic and room for an alias property: never below the real size.
        int size = OutboundPublish.size(topic, qos, properties, message.body().length, connection.isV5())
            + (connection.isV5() ? 3 : 0);
        if (size > connection.limits().maximumPacketSize()) {
            return Sent.TOO_LARGE; // the client must never get more than it allows [MQTT-3.1.2-25]
        }
        String topicName = topic;
        int alias = aliases.known(topic);
        if (alias != 0) {
            topicName = ""; // the client knows the alias [MQTT-3.3.2-12]
        } else {
            alias = aliases.assign(topic);
        }
        if (alias != 0) {
            properties.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
        }
        connection.channel().write(OutboundPublish.build(topicName, qos, retain, dup, packetId, properties, message.body()));
        return Sent.YES;
    }

    public void onPubAck(int packetId) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry != null && entry.qos == 1) {
            inflight.remove(packetId);
            progress.advanced(entry.cursor, 1);
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
            progress.advanced(entry.cursor, 1);
            return;
        }
        if (entry.released) {
            return; // a repeated PUBREC: PUBREL is on its way
        }
        entry.released = true;
        // Recorded before PUBREL, so the message is never sent again, even after a crash.
        progress.released(entry.cursor).whenComplete((recorded, failure) -> connection.channel().eventLoop().execute(() -> {
            if (failure != null) {
                connection.disconnect(MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR.byteValue(),
                    "could not record PUBREC: " + failure);
            } else if (!connection.closing()) {
                connection.send(Replies.pubReply(MqttMessageType.PUBREL, packetId, (byte) 0));
            }
        }));
    }

    public void onPubComp(int packetId) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry != null && entry.released) {
            inflight.remove(packetId);
            progress.advanced(entry.cursor, 1);
        }
    }
}
