package net.lightqueue.mqtt.delivery;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.util.Collection;
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

    public Deliverer(MqttConnection connection, Inflight inflight, LightQueues queues, int batchSize) {
        this.connection = connection;
        this.inflight = inflight;
        this.queues = queues;
        this.batchSize = batchSize;
        this.aliases = new OutboundTopicAliases(connection.isV5() ? connection.limits().topicAliasMaximum() : 0);
    }

    /** Resends what the previous connection left unacknowledged, with DUP set [MQTT-4.4.0-1]. */
    public void resendInflight() {
        for (Inflight.Entry entry : inflight.inOrder()) {
            if (entry.released) {
                connection.channel().write(Replies.pubReply(MqttMessageType.PUBREL, entry.packetId, (byte) 0));
            } else {
                write(entry.message, entry.qos, entry.retain, entry.subscriptionId, entry.packetId, true);
            }
        }
        connection.channel().flush();
    }

    /** Sends from the cursors, one batch per cursor in turn, as long as the client can take it. */
    public void deliver(Collection<Cursor> cursors) {
        Channel channel = connection.channel();
        boolean progressed = true;
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

    private boolean deliverBatch(Cursor cursor) {
        int window = connection.limits().receiveMaximum() - inflight.size();
        // Only QoS 1/2 deliveries take a window slot; a batch never holds more than fit.
        int count = cursor.options().qos() > 0 ? Math.min(batchSize, window) : batchSize;
        if (count <= 0) {
            return false;
        }
        ReadResult result = queues.read(cursor.filter(), cursor.nextOffset(), count);
        boolean nothing = result.messages().isEmpty() && result.nextOffset() == cursor.nextOffset();
        for (StoredMessage message : result.messages()) {
            offer(cursor.options(), message);
        }
        cursor.advance(result.nextOffset(), nothing);
        return !nothing;
    }

    private void offer(SubscriptionOptions options, StoredMessage message) {
        if (options.noLocal() && Objects.equals(connection.clientId(), StoredProperties.clientId(message.properties()))) {
            return; // [MQTT-3.8.3-3]
        }
        int qos = Math.min(StoredProperties.qos(message.properties()), options.qos());
        boolean retain = options.retainAsPublished() && StoredProperties.retain(message.properties());
        if (qos == 0) {
            write(message, 0, retain, options.subscriptionId(), 0, false);
        } else {
            Inflight.Entry entry = inflight.add(message, qos, retain, options.subscriptionId());
            if (!write(message, qos, retain, options.subscriptionId(), entry.packetId, false)) {
                inflight.remove(entry.packetId);
            }
        }
    }

    /** @return false when the message is not sent because it is too large for the client or expired */
    private boolean write(StoredMessage message, int qos, boolean retain, int subscriptionId, int packetId, boolean dup) {
        String topic = message.mqttTopic();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (connection.isV5()) {
            properties = OutboundPublish.properties(message, subscriptionId, System.currentTimeMillis());
            if (properties == null) {
                return false; // expired [MQTT-3.3.2-5]
            }
        }
        // Counted with the full topic and room for an alias property: never below the real size.
        int size = OutboundPublish.size(topic, qos, properties, message.body().length, connection.isV5())
            + (connection.isV5() ? 3 : 0);
        if (size > connection.limits().maximumPacketSize()) {
            return false; // the client must never get more than it allows [MQTT-3.1.2-25]
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
        return true;
    }

    public void onPubAck(int packetId) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry != null && entry.qos == 1) {
            inflight.remove(packetId);
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
            return;
        }
        entry.released = true;
        connection.send(Replies.pubReply(MqttMessageType.PUBREL, packetId, (byte) 0));
    }

    public void onPubComp(int packetId) {
        Inflight.Entry entry = inflight.get(packetId);
        if (entry != null && entry.released) {
            inflight.remove(packetId);
        }
    }
}
