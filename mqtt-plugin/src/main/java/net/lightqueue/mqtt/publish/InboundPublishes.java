package net.lightqueue.mqtt.publish;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.IndexFailure;
import net.lightqueue.mqtt.codec.InputProblem;
import net.lightqueue.mqtt.codec.Replies;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.host.log.OncePerKey;
import net.lightqueue.mqtt.message.StoredProperties;
import net.lightqueue.mqtt.topic.TopicNames;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The receiving side of a connection's PUBLISH flows (MQTT 5 section 4.3): QoS 0 is written,
 * QoS 1 is acknowledged with PUBACK after the write succeeded, QoS 2 with PUBREC after the
 * write and after its packet id was recorded in the session ({@link ReceivedQos2}), and with
 * PUBCOMP on PUBREL once the id was released there; a PUBLISH resent with a recorded id, also
 * on a later connection of the session, is not written twice. Acknowledgements leave in the
 * order the publishes arrived. Confined to the connection's event loop.
 */
public final class InboundPublishes {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.publish");

    private enum State { WRITING, AWAITING_PUBREL }

    private static final class InFlight {
        final int qos;
        State state = State.WRITING;

        InFlight(int qos) {
            this.qos = qos;
        }
    }

    /** A publish whose acknowledgement waits for its write and for the writes received before it. */
    private static final class PendingAck {
        final int qos;
        final int packetId;
        MessageWriter.Outcome outcome;

        PendingAck(int qos, int packetId) {
            this.qos = qos;
            this.packetId = packetId;
        }
    }

    private final MqttConnection connection;
    private final PublishServices services;
    private final InboundTopicAliases aliases;
    private final ReceivedQos2 received;
    private final Map<Integer, InFlight> inFlight = new HashMap<>();
    private final ArrayDeque<PendingAck> acks = new ArrayDeque<>(0); // grows with the first publish
    /** The reserved RocketMQ topics this client was refused, each logged once; made at the first. */
    private OncePerKey forbiddenLogged;
    private int writesInProgress;
    /** Whether this connection's publishes refused while the index fails were logged (once per connection). */
    private boolean indexFailureLogged;

    /** @param received the QoS 2 packet ids of the session the connection holds */
    public InboundPublishes(MqttConnection connection, PublishServices services, ReceivedQos2 received) {
        this.connection = connection;
        this.services = services;
        this.received = received;
        this.aliases = new InboundTopicAliases(connection.isV5() ? services.settings().topicAliasMaximum() : 0);
    }

    public void onPublish(MqttPublishMessage publish) {
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        if (qos > 0 && !admitPacketId(qos, packetId, publish.fixedHeader().isDup())) {
            return;
        }
        MqttProperties properties = publish.variableHeader().properties();
        InboundTopicAliases.Resolution resolution = aliases.resolve(publish.variableHeader().topicName(), properties);
        if (resolution.problem() != null) {
            services.refused().refused(RefusedPublishes.Reason.MALFORMED);
            connection.disconnect(resolution.reasonCode(), resolution.problem());
            return;
        }
        String topic = resolution.topic();
        InputProblem problem = TopicNames.nameProblem(topic, services.settings().maxTopicLength());
        if (problem != null) {
            byte reason = problem.malformed()
                ? Disconnect.MALFORMED_PACKET.byteValue() : Disconnect.TOPIC_NAME_INVALID.byteValue();
            refuse(problem.malformed() ? RefusedPublishes.Reason.MALFORMED : RefusedPublishes.Reason.TOPIC_REFUSED,
                qos, packetId, reason, "publish to invalid topic: " + problem);
            return;
        }
        ByteBuf payload = publish.payload();
        if (isUtf8Declared(properties) && !ByteBufUtil.isText(payload, StandardCharsets.UTF_8)) {
            refuse(RefusedPublishes.Reason.MALFORMED, qos, packetId, MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue(),
                "payload declared UTF-8 is not [MQTT-3.3.2-4]");
            return;
        }
        RocketTopics.Target target = services.topics().resolve(topic);
        if (target.forbidden()) {
            if (forbiddenLogged == null) {
                forbiddenLogged = new OncePerKey(100);
            }
            if (forbiddenLogged.first(target.topic())) {
                LOG.warn("mqtt {} may not publish to '{}': {}", connection, topic, target.problem());
            }
            refuse(RefusedPublishes.Reason.TOPIC_REFUSED, qos, packetId, MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue(),
                target.problem());
            return;
        }
        if (!services.access().mayPublish(connection.accessClient(), target.topic())) {
            refuse(RefusedPublishes.Reason.ACL_DENIED, qos, packetId, MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue(),
                "not authorized to publish to " + topic);
            return;
        }
        if (!target.ok()) {
            refuse(RefusedPublishes.Reason.TOPIC_REFUSED, qos, packetId, MqttReasonCodes.PubAck.TOPIC_NAME_INVALID.byteValue(),
                target.problem());
            return;
        }
        Optional<IndexFailure> indexFailure = services.indexFailure().get();
        if (indexFailure.isPresent()) {
            refuseWhileIndexFails(qos, packetId, indexFailure.get());
            return;
        }
        write(publish, topic, target, qos, packetId);
    }

    /** PUBCOMP follows once the release is recorded: a crash before it leaves the id to be released again. */
    public void onPubRel(int packetId) {
        InFlight entry = inFlight.get(packetId);
        if (entry != null && entry.state != State.AWAITING_PUBREL) {
            connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(), "PUBREL for packet " + packetId + " before PUBREC");
            return;
        }
        inFlight.remove(packetId);
        if (!received.contains(packetId)) {
            // Already completed: the client resends PUBREL after a lost PUBCOMP [MQTT-4.3.3-12].
            connection.send(Replies.pubReply(MqttMessageType.PUBCOMP, packetId,
                MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue()));
            return;
        }
        // Without the release on record a later publish reusing the id would be taken for a resend:
        // no PUBCOMP then, and the client sends PUBREL again on its next connection.
        received.release(packetId).whenComplete((done, failure) -> connection.channel().eventLoop().execute(() -> {
            if (failure != null) {
                connection.disconnect(Disconnect.UNSPECIFIED_ERROR.byteValue(), "could not record PUBREL: " + failure);
            } else {
                connection.send(Replies.pubReply(MqttMessageType.PUBCOMP, packetId, MqttReasonCodes.PubComp.SUCCESS.byteValue()));
            }
        }));
    }

    /** Whether a QoS 1/2 publish may go on, judged by its packet id and the Receive Maximum. */
    private boolean admitPacketId(int qos, int packetId, boolean dup) {
        InFlight existing = inFlight.get(packetId);
        if (existing != null) {
            if (existing.qos == 2 && qos == 2) {
                // The same QoS 2 message again: answer, never write twice [MQTT-4.3.3-10].
                if (existing.state == State.AWAITING_PUBREL) {
                    connection.send(Replies.pubReply(MqttMessageType.PUBREC, packetId, (byte) 0));
                }
                return false;
            }
            if (existing.qos == 1 && qos == 1 && dup) {
                return false; // a retransmission of a write in progress: its PUBACK follows
            }
            connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(),
                "packet id " + packetId + " reused while in flight [MQTT-2.2.1-3]");
            return false;
        }
        if (qos == 2 && received.contains(packetId)) {
            // Answered with PUBREC on an earlier connection of the session: the same message again.
            connection.send(Replies.pubReply(MqttMessageType.PUBREC, packetId, (byte) 0));
            return false;
        }
        if (connection.isV5() && inFlight.size() >= services.settings().receiveMaximum()) {
            connection.disconnect(Disconnect.RECEIVE_MAXIMUM_EXCEEDED.byteValue(),
                "more than " + services.settings().receiveMaximum() + " QoS 1/2 publishes unacknowledged [MQTT-3.3.4-9]");
            return false;
        }
        inFlight.put(packetId, new InFlight(qos));
        return true;
    }

    private void write(MqttPublishMessage publish, String topic, RocketTopics.Target target, int qos, int packetId) {
        byte[] body = ByteBufUtil.getBytes(publish.payload());
        var properties = StoredProperties.of(topic, qos, publish.fixedHeader().isRetain(),
            connection.clientId(), publish.variableHeader().properties());
        PendingAck ack = new PendingAck(qos, packetId);
        acks.add(ack);
        writesInProgress++;
        if (writesInProgress >= services.settings().receiveMaximum()) {
            // Reading pauses instead of queueing writes without bound (QoS 0 and v3 floods).
            connection.channel().config().setAutoRead(false);
        }
        services.writer().write(target, topic, body, properties, connection.remoteAddress())
            .thenCompose(outcome -> qos != 2 || !outcome.ok() ? CompletableFuture.completedFuture(outcome)
                : received.add(packetId).handle((recorded, failure) -> failure == null ? outcome
                    : new MessageWriter.Outcome(MqttReasonCodes.PubRec.UNSPECIFIED_ERROR.byteValue(),
                        "its packet id was not recorded: " + failure)))
            .whenComplete((outcome, failure) -> connection.channel().eventLoop().execute(() -> {
                writesInProgress--;
                connection.channel().config().setAutoRead(true);
                ack.outcome = outcome;
                if (!outcome.ok()) {
                    LOG.warn("mqtt publish to '{}' from {} was not stored: {}", topic, connection, outcome.status());
                    ack.outcome = new MessageWriter.Outcome(outcome.reasonCode(),
                        "the broker did not store the message: " + outcome.status());
                }
                sendCompletedAcks();
            }));
    }

    private void sendCompletedAcks() {
        while (!acks.isEmpty() && acks.peek().outcome != null) {
            PendingAck ack = acks.poll();
            MessageWriter.Outcome outcome = ack.outcome;
            if (!outcome.ok()) {
                inFlight.remove(ack.packetId);
                refuseNow(ack.qos, ack.packetId, outcome.reasonCode(), outcome.status());
            } else if (ack.qos == 1) {
                inFlight.remove(ack.packetId);
                connection.send(Replies.pubReply(MqttMessageType.PUBACK, ack.packetId, (byte) 0));
            } else if (ack.qos == 2) {
                inFlight.get(ack.packetId).state = State.AWAITING_PUBREL;
                connection.send(Replies.pubReply(MqttMessageType.PUBREC, ack.packetId, (byte) 0));
            }
        }
    }

    /**
     * While the index cannot be written nothing new reaches a subscriber, so nothing new is taken
     * on: a v5 QoS 1/2 publish gets Quota exceeded (0x97) when the disk is full, else Unspecified
     * error (0x80), and the connection stays; v5 QoS 0 is dropped, as at most once allows; a v3
     * client has no negative acknowledgement and is closed (MQTT 3.1.1 section 3.3.5). The
     * dispatcher retries on its own and publishes are taken again once it recovered.
     */
    private void refuseWhileIndexFails(int qos, int packetId, IndexFailure failure) {
        byte reason = failure.diskFull()
            ? MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue() : MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue();
        String why = "the broker cannot index messages at the moment" + (failure.diskFull() ? " (its disk is full)" : "");
        if (connection.isV5() && !indexFailureLogged) {
            indexFailureLogged = true; // a v3 client is closed, and its disconnect says why
            LOG.warn("mqtt {}: publishes refused (QoS 1/2 with 0x{}, QoS 0 dropped) while the light-queue index cannot be "
                + "written: {}", connection, Integer.toHexString(reason & 0xFF), failure.cause());
        }
        if (connection.isV5() && qos == 0) {
            services.refused().refused(RefusedPublishes.Reason.INDEX_UNAVAILABLE);
            return;
        }
        refuse(RefusedPublishes.Reason.INDEX_UNAVAILABLE, qos, packetId, reason, why);
    }

    /** Refuses a publish in its place in the acknowledgement order, and counts it. */
    private void refuse(RefusedPublishes.Reason counted, int qos, int packetId, byte reasonCode, String why) {
        services.refused().refused(counted);
        PendingAck ack = new PendingAck(qos, packetId);
        ack.outcome = new MessageWriter.Outcome(reasonCode, why);
        acks.add(ack);
        sendCompletedAcks();
    }

    /**
     * A v5 client learns of a refused QoS 1/2 publish from the reason code of its PUBACK or
     * PUBREC; QoS 0 and v3 have no negative acknowledgement, so the connection ends
     * (MQTT 3.1.1 section 3.3.5: acknowledge or close, never drop silently).
     */
    private void refuseNow(int qos, int packetId, byte reasonCode, String why) {
        if (connection.isV5() && qos > 0 && reasonCode != Disconnect.MALFORMED_PACKET.byteValue()) {
            inFlight.remove(packetId);
            connection.send(Replies.pubReply(qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, reasonCode));
        } else {
            connection.disconnect(reasonCode, why);
        }
    }

    private static boolean isUtf8Declared(MqttProperties properties) {
        return properties.getProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()) instanceof IntegerProperty format
            && format.value() == 1;
    }
}
