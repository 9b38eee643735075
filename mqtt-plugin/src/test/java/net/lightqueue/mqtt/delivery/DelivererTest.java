package net.lightqueue.mqtt.delivery;

import static net.lightqueue.mqtt.delivery.ListCursor.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.connection.ClientLimits;
import net.lightqueue.mqtt.connection.MqttConnection;
import org.junit.jupiter.api.Test;

/**
 * The deliverer over an embedded channel: what it writes, in what order, and what it tells the
 * cursors. Packets are compared as one line each: {@code PUBLISH <topic name> [<body>] q<qos>
 * #<packet id> dup retain}, {@code PUBREL #<packet id> <reason code>}, {@code DISCONNECT <reason code>}.
 */
class DelivererTest {

    private static final int BATCH = 16;
    private static final String CLIENT_ID = "subscriber";
    private static final int NO_LIMIT = ClientLimits.PROTOCOL_MAXIMUM_PACKET_SIZE;

    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private final Inflight inflight = new Inflight(metrics);
    private final UndeliverableMessages undeliverable = new UndeliverableMessages();
    private EmbeddedChannel channel = new EmbeddedChannel();
    /** Delivery passes asked for: retained pages that arrived, held QoS 2 deliveries written. */
    private int wakes;

    private Deliverer connect(MqttVersion version, ClientLimits limits) {
        MqttConnection connection = new MqttConnection(channel);
        connection.accepted(version, CLIENT_ID, null, limits);
        return new Deliverer(connection, inflight, BATCH, undeliverable, metrics, new SharedPayloads(), () -> wakes++);
    }

    private Deliverer connectV5(int receiveMaximum) {
        return connect(MqttVersion.MQTT_5, new ClientLimits(receiveMaximum, NO_LIMIT, 0));
    }

    /** A delivery pass, and the passes the retained pages it asked for wake on arriving. */
    private void deliver(Deliverer deliverer, Cursor... merged) {
        do {
            wakes = 0;
            deliverer.deliver(List.of(merged), List.of());
            channel.runPendingTasks();
        } while (wakes > 0);
    }

    /** Retained messages in pages of {@code pageSize}, counting the pages asked for. */
    private static final class PagedRetained implements RetainedSource {
        private final List<StoredMessage> messages;
        private final int pageSize;
        private int asked;

        PagedRetained(int pageSize, StoredMessage... messages) {
            this.messages = List.of(messages);
            this.pageSize = pageSize;
        }

        @Override
        public CompletableFuture<List<StoredMessage>> nextPage() {
            int from = asked++ * pageSize;
            return CompletableFuture.completedFuture(messages.subList(from, Math.min(messages.size(), from + pageSize)));
        }

        @Override
        public boolean exhausted() {
            return asked * pageSize >= messages.size();
        }
    }

    /** Everything written since the last call. */
    private List<MqttMessage> written() {
        channel.runPendingTasks();
        List<MqttMessage> written = new ArrayList<>();
        for (Object packet; (packet = channel.readOutbound()) != null; ) {
            written.add((MqttMessage) packet);
        }
        return written;
    }

    private List<String> writtenLines() {
        return written().stream().map(DelivererTest::line).toList();
    }

    private static String line(MqttMessage packet) {
        if (packet instanceof MqttPublishMessage publish) {
            int qos = publish.fixedHeader().qosLevel().value();
            return "PUBLISH " + publish.variableHeader().topicName()
                + " [" + publish.payload().toString(StandardCharsets.UTF_8) + "] q" + qos
                + (qos > 0 ? " #" + publish.variableHeader().packetId() : "")
                + (publish.fixedHeader().isDup() ? " dup" : "")
                + (publish.fixedHeader().isRetain() ? " retain" : "");
        }
        if (packet.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
            return packet.fixedHeader().messageType() + String.format(" 0x%02x", reason.reasonCode() & 0xFF);
        }
        MqttPubReplyMessageVariableHeader reply = (MqttPubReplyMessageVariableHeader) packet.variableHeader();
        return packet.fixedHeader().messageType() + " #" + reply.messageId()
            + String.format(" 0x%02x", reply.reasonCode() & 0xFF);
    }

    private static MqttProperties properties(MqttMessage packet) {
        return ((MqttPublishMessage) packet).variableHeader().properties();
    }

    private static Integer integerProperty(MqttMessage packet, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties(packet).getProperty(type.value());
        return property == null ? null : (Integer) property.value();
    }

    private static ListCursor cursorWith(String filter, int grantedQos, StoredMessage... messages) {
        ListCursor cursor = ListCursor.subscription(filter, grantedQos);
        for (StoredMessage message : messages) {
            cursor.arrive(message);
        }
        return cursor;
    }

    /** A QoS 1 message stored 10 s ago with a Message Expiry Interval of {@code intervalSeconds}. */
    private static StoredMessage expiring(String topic, long intervalSeconds, long commitLogOffset) {
        return message(topic, 1, commitLogOffset, "publisher", System.currentTimeMillis() - 10_000,
            Map.of(MqttMessageProperties.MESSAGE_EXPIRY_INTERVAL, Long.toString(intervalSeconds)));
    }

    /** The server sends no more than Receive Maximum unacknowledged QoS 1/2 PUBLISH packets [MQTT-3.3.4-9]. */
    @Test
    void receiveMaximumBoundsUnacknowledgedPublishesAndPubAckFreesASlot() {
        Deliverer deliverer = connectV5(2);
        ListCursor cursor = cursorWith("t/#", 1, message("t/1", 1, 10), message("t/2", 1, 20), message("t/3", 1, 30),
            message("t/4", 1, 40));

        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1", "PUBLISH t/2 [t/2] q1 #2"), writtenLines());
        deliver(deliverer, cursor);
        assertEquals(List.of(), writtenLines(), "the window is full");
        assertEquals(2, cursor.nextOffset(), "the unsent messages stay in the queue");

        deliverer.onPubAck(1);
        assertEquals(1, cursor.completed());
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/3 [t/3] q1 #3"), writtenLines());

        deliverer.onPubAck(1); // a repeated PUBACK frees nothing more
        deliver(deliverer, cursor);
        assertEquals(List.of(), writtenLines());
        assertEquals(1, cursor.completed());
    }

    /** Receive Maximum counts QoS 1 and 2 PUBLISH packets only [MQTT-3.3.4-9]: QoS 0 ones still go out when it is reached. */
    @Test
    void qos0MessagesTakeNoWindowSlot() {
        Deliverer deliverer = connectV5(1);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 0, 10), message("t/2", 0, 20), message("t/3", 1, 30),
            message("t/4", 0, 40));

        deliver(deliverer, cursor);

        assertEquals(List.of("PUBLISH t/1 [t/1] q0", "PUBLISH t/2 [t/2] q0", "PUBLISH t/3 [t/3] q1 #1",
            "PUBLISH t/4 [t/4] q0"), writtenLines());
        assertEquals(3, cursor.completed(), "QoS 0 deliveries end when sent");
    }

    /**
     * A message goes out at the lower of its published QoS and the QoS granted to the
     * subscription [MQTT-3.8.4-8] (MQTT 3.1.1 [MQTT-3.8.4-6]).
     */
    @Test
    void messagesAreSentAtTheLowerOfPublishedAndGrantedQos() {
        Deliverer deliverer = connectV5(10);
        ListCursor grantedQos1 = cursorWith("a/#", 1, message("a/2", 2, 10), message("a/0", 0, 20));
        ListCursor grantedQos0 = cursorWith("b/#", 0, message("b/2", 2, 30));

        deliver(deliverer, grantedQos1, grantedQos0);

        assertEquals(List.of("PUBLISH a/2 [a/2] q1 #1", "PUBLISH a/0 [a/0] q0", "PUBLISH b/2 [b/2] q0"), writtenLines());
        assertEquals(1, grantedQos0.completed());
        deliverer.onPubRec(1, (byte) 0);
        assertEquals(List.of("PUBREL #1 0x92"), writtenLines(), "a QoS 1 delivery knows no PUBREC");
    }

    /**
     * QoS 2: PUBREL answers PUBREC [MQTT-4.3.3-4] only once the release is recorded, and the
     * delivery holds its window slot until PUBCOMP [MQTT-3.3.4-9].
     */
    @Test
    void pubRelFollowsPubRecOnceTheReleaseIsRecordedAndPubCompEndsTheDelivery() {
        Deliverer deliverer = connectV5(1);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 2, 10), message("t/2", 2, 20));
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/1 [t/1] q2 #1"), writtenLines());

        deliverer.onPubRec(1, (byte) 0);
        deliverer.onPubRec(1, (byte) 0); // repeated while the release is being recorded
        assertEquals(List.of(), writtenLines(), "no PUBREL before the release is recorded");
        assertEquals(1, cursor.releases.size());

        cursor.releases.get(0).complete(null);
        assertEquals(List.of("PUBREL #1 0x00"), writtenLines());
        assertTrue(inflight.get(1).released());
        deliver(deliverer, cursor);
        assertEquals(List.of(), writtenLines(), "the delivery holds its slot until PUBCOMP");
        assertEquals(0, cursor.completed());

        deliverer.onPubComp(1);
        assertEquals(1, cursor.completed());
        assertNull(inflight.get(1));
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/2 [t/2] q2 #2"), writtenLines());
    }

    /**
     * A QoS 2 PUBLISH goes out only once its packet id is recorded, so that after a crash it
     * comes back under the same id and a client that answered PUBREC does not pass it on twice
     * [MQTT-4.3.3-10]; what follows it in the pass waits with it, to keep the order [MQTT-4.6.0-6].
     */
    @Test
    void aQos2DeliveryIsWrittenOnlyOnceItsPacketIdIsRecordedAndWhatFollowsWaitsForIt() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 1, 10), message("t/2", 2, 20), message("t/3", 1, 30),
            message("t/4", 0, 40));
        cursor.holdSendRecords = true;
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1"), writtenLines(), "QoS 1 before the first QoS 2 goes at once");
        assertEquals(1, cursor.sendRecords.size());
        assertEquals(3, inflight.size(), "the held ones are in flight: the record carries their packet ids");

        deliver(deliverer, cursor);
        assertEquals(List.of(), writtenLines(), "no later pass overtakes the held deliveries");
        assertEquals(1, cursor.sendRecords.size());

        cursor.sendRecords.get(0).complete(null);
        channel.runPendingTasks();
        assertEquals(List.of("PUBLISH t/2 [t/2] q2 #2", "PUBLISH t/3 [t/3] q1 #3", "PUBLISH t/4 [t/4] q0"),
            writtenLines());
        assertEquals(1, wakes, "then the next pass");
    }

    /** A record that fails sends nothing held: the connection ends with 0x80, the deliveries stay for the next one. */
    @Test
    void aQos2SendThatCannotBeRecordedDisconnectsAndKeepsTheDeliveryInFlight() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 2, 10));
        cursor.holdSendRecords = true;
        deliver(deliverer, cursor);

        cursor.sendRecords.get(0).completeExceptionally(new IllegalStateException("store unavailable"));
        channel.runPendingTasks();

        assertEquals(List.of("DISCONNECT 0x80"), writtenLines());
        assertEquals(1, inflight.size());
    }

    @Test
    void pubCompBeforePubRecEndsNothing() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 2, 10));
        deliver(deliverer, cursor);
        written();

        deliverer.onPubComp(1);

        assertEquals(0, cursor.completed());
        assertEquals(1, inflight.size());
    }

    /** PUBREL only follows a recorded release: a release that cannot be recorded ends the connection with 0x80. */
    @Test
    void aReleaseThatCannotBeRecordedDisconnectsWithoutPubRel() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 2, 10));
        deliver(deliverer, cursor);
        written();

        deliverer.onPubRec(1, (byte) 0);
        cursor.releases.get(0).completeExceptionally(new IllegalStateException("store unavailable"));

        assertEquals(List.of("DISCONNECT 0x80"), writtenLines());
        assertFalse(channel.isOpen());
        assertEquals(0, cursor.completed(), "the delivery stays for the next connection");
        assertEquals(1, inflight.size());
    }

    /** A PUBREC with a reason code of 0x80 or more ends the flow: no PUBREL, and the window slot is free [MQTT-3.3.4-9]. */
    @Test
    void pubRecWithAFailureReasonCodeEndsTheFlowWithoutPubRel() {
        Deliverer deliverer = connectV5(1);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 2, 10), message("t/2", 2, 20));
        deliver(deliverer, cursor);
        written();

        deliverer.onPubRec(1, MqttReasonCodes.PubRec.QUOTA_EXCEEDED.byteValue());

        assertEquals(List.of(), writtenLines());
        assertEquals(List.of(), cursor.releases);
        assertEquals(1, cursor.completed());
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/2 [t/2] q2 #2"), writtenLines());
    }

    /** A PUBREC for a packet id with no delivery gets PUBREL with 0x92 Packet Identifier not found. */
    @Test
    void pubRecForAnUnknownPacketIdIsAnsweredWithPacketIdentifierNotFound() {
        Deliverer deliverer = connectV5(10);

        deliverer.onPubRec(99, (byte) 0);

        assertEquals(List.of("PUBREL #99 0x92"), writtenLines());
        assertEquals(0, inflight.size());
    }

    /**
     * A connection that takes the session over resends its unacknowledged PUBLISH packets with
     * DUP set and their packet ids, and PUBREL for the released ones, in their order
     * [MQTT-4.4.0-1, MQTT-3.3.1-1]; a PUBLISH already released is never sent again.
     */
    @Test
    void aNewConnectionResendsUnacknowledgedDeliveriesWithDupAndReleasedOnesAsPubRel() {
        List<Long> latencies = new ArrayList<>();
        metrics.recordLatencyTo(latencies::add);
        Deliverer first = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 1, 10), message("t/2", 2, 20), message("t/3", 2, 30));
        deliver(first, cursor);
        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1", "PUBLISH t/2 [t/2] q2 #2", "PUBLISH t/3 [t/3] q2 #3"),
            writtenLines());
        first.onPubRec(2, (byte) 0);
        cursor.releases.get(0).complete(null);
        assertEquals(List.of("PUBREL #2 0x00"), writtenLines());

        channel = new EmbeddedChannel();
        Deliverer second = connectV5(10);
        second.resendInflight();

        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1 dup", "PUBREL #2 0x00", "PUBLISH t/3 [t/3] q2 #3 dup"),
            writtenLines());
        second.onPubAck(1);
        second.onPubComp(2);
        assertEquals(2, cursor.completed());
        assertEquals(List.of(3), inflight.inOrder().stream().map(entry -> entry.packetId).toList());
        assertEquals(3, latencies.size(), "one latency per first send, none for the resends: " + latencies);
        assertTrue(latencies.stream().allMatch(millis -> millis >= 0), latencies.toString());
        assertEquals(1, metrics.inflight(), "every session's count follows the window");
        inflight.uncount();
        assertEquals(0, metrics.inflight(), "a session leaving memory takes its deliveries out of the count");
    }

    /**
     * Receive Maximum is the new connection's: what the previous one left unacknowledged is
     * resent within it [MQTT-3.3.4-9], the rest as acknowledgements free slots, before new
     * messages; a PUBREL is never held back [MQTT-3.3.4-10].
     */
    @Test
    void unacknowledgedDeliveriesAreResentWithinTheNewConnectionsReceiveMaximum() {
        Deliverer first = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 2, message("t/1", 1, 10), message("t/2", 1, 20), message("t/3", 1, 30),
            message("t/4", 2, 40));
        deliver(first, cursor);
        first.onPubRec(4, (byte) 0);
        cursor.releases.get(0).complete(null);
        written();
        cursor.arrive(message("t/5", 1, 50));

        channel = new EmbeddedChannel();
        Deliverer second = connectV5(2);
        second.resendInflight();
        deliver(second, cursor);
        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1 dup", "PUBLISH t/2 [t/2] q1 #2 dup", "PUBREL #4 0x00"),
            writtenLines());

        second.onPubAck(1);
        second.onPubComp(4);
        deliver(second, cursor);
        assertEquals(List.of("PUBLISH t/3 [t/3] q1 #3 dup"), writtenLines());
        second.onPubAck(2);
        deliver(second, cursor);
        assertEquals(List.of("PUBLISH t/5 [t/5] q1 #5"), writtenLines());
    }

    /** A retained message sent on subscribe and resent keeps RETAIN, and gets DUP [MQTT-3.3.1-1]. */
    @Test
    void aResentRetainedMessageKeepsRetain() {
        Deliverer first = connectV5(10);
        ListCursor cursor = ListCursor.subscription("t/#", 1);
        first.owe(cursor, new PagedRetained(10, message("t/kept", 1, 5)));
        deliver(first, cursor);
        assertEquals(List.of("PUBLISH t/kept [t/kept] q1 #1 retain"), writtenLines());

        channel = new EmbeddedChannel();
        connectV5(10).resendInflight();

        assertEquals(List.of("PUBLISH t/kept [t/kept] q1 #1 dup retain"), writtenLines());
    }

    /** A resent delivery whose message expired meanwhile is not sent again and ends [MQTT-3.3.2-5]. */
    @Test
    void aResentDeliveryThatExpiredMeanwhileEnds() {
        ListCursor cursor = ListCursor.subscription("t/#", 1);
        StoredMessage expired = cursor.append(expiring("t/old", 5, 10));
        inflight.restore(4, cursor, expired.queueOffset(), expired, 1, false, 0, false);
        Deliverer deliverer = connectV5(10);

        deliverer.resendInflight();

        assertEquals(List.of(), writtenLines());
        assertEquals(0, inflight.size());
        assertEquals(List.of(1), cursor.settled);
    }

    /**
     * A v5 client with a Topic Alias Maximum gets an alias with the topic the first time, then
     * the alias with an empty topic name (section 3.3.2.3.4), never an alias above its maximum
     * [MQTT-3.3.2-11].
     */
    @Test
    void outboundTopicAliasesReplaceTheTopicNameUpToTheClientsMaximum() {
        Deliverer deliverer = connect(MqttVersion.MQTT_5, new ClientLimits(10, NO_LIMIT, 1));
        ListCursor cursor = cursorWith("t/#", 0, message("t/a", 0, 10), message("t/a", 0, 20), message("t/b", 0, 30),
            message("t/a", 0, 40));

        deliver(deliverer, cursor);

        List<MqttMessage> written = written();
        assertEquals(List.of("PUBLISH t/a [t/a] q0", "PUBLISH  [t/a] q0", "PUBLISH t/b [t/b] q0", "PUBLISH  [t/a] q0"),
            written.stream().map(DelivererTest::line).toList());
        List<Integer> aliases = new ArrayList<>();
        written.forEach(packet -> aliases.add(integerProperty(packet, MqttPropertyType.TOPIC_ALIAS)));
        assertEquals(Arrays.asList(1, 1, null, 1), aliases);
    }

    /** No alias for a client that allows none [MQTT-3.1.2-27], nor for a v3 client. */
    @Test
    void noTopicAliasesWithoutATopicAliasMaximum() {
        for (MqttVersion version : List.of(MqttVersion.MQTT_5, MqttVersion.MQTT_3_1_1)) {
            channel = new EmbeddedChannel();
            Deliverer deliverer = connect(version, new ClientLimits(10, NO_LIMIT, 0));
            deliver(deliverer, cursorWith("t/#", 0, message("t/a", 0, 10), message("t/a", 0, 20)));

            List<MqttMessage> written = written();
            assertEquals(List.of("PUBLISH t/a [t/a] q0", "PUBLISH t/a [t/a] q0"),
                written.stream().map(DelivererTest::line).toList(), version.toString());
            written.forEach(packet -> assertNull(integerProperty(packet, MqttPropertyType.TOPIC_ALIAS)));
        }
    }

    /**
     * A message whose expiry interval passed is not sent [MQTT-3.3.2-5] and its delivery ends;
     * one still valid carries the interval left, not the one published [MQTT-3.3.2-6].
     */
    @Test
    void expiredMessagesAreNotSentAndOthersCarryTheIntervalLeft() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 1, expiring("t/expired", 5, 10), expiring("t/valid", 100, 20),
            message("t/forever", 1, 30));

        deliver(deliverer, cursor);

        List<MqttMessage> written = written();
        assertEquals(List.of("PUBLISH t/valid [t/valid] q1 #2", "PUBLISH t/forever [t/forever] q1 #3"),
            written.stream().map(DelivererTest::line).toList());
        int left = integerProperty(written.get(0), MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        assertTrue(left > 0 && left <= 90, "stored 10 s ago with 100 s to live, " + left + " s left");
        assertNull(integerProperty(written.get(1), MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL));
        assertEquals(1, cursor.completed(), "the expired message's delivery ended");
        assertEquals(2, inflight.size(), "only the sent messages await PUBACK");
        assertEquals(2, metrics.inflight());
        assertEquals(1, undeliverable.count(UndeliverableMessages.Reason.EXPIRED));
    }

    /** A v3.1.1 client gets no MQTT 5 properties, and no message whose expiry interval passed either. */
    @Test
    void aV311ClientGetsNoPropertiesAndNoExpiredMessage() {
        Deliverer deliverer = connect(MqttVersion.MQTT_3_1_1, new ClientLimits(10, NO_LIMIT, 0));
        ListCursor cursor = new ListCursor("t/#", new SubscriptionOptions(1, false, false, 0, 3));
        cursor.arrive(expiring("t/expired", 5, 10)).arrive(expiring("t/valid", 100, 20));

        deliver(deliverer, cursor);

        List<MqttMessage> written = written();
        assertEquals(List.of("PUBLISH t/valid [t/valid] q1 #2"), written.stream().map(DelivererTest::line).toList());
        assertTrue(properties(written.get(0)).isEmpty());
    }

    /**
     * A PUBLISH larger than the client's Maximum Packet Size is never sent [MQTT-3.1.2-24]: it is
     * discarded as if sent [MQTT-3.1.2-25], counted, and the next message goes out.
     */
    @Test
    void aMessageOverTheClientsMaximumPacketSizeIsSkippedAndCounted() {
        Deliverer deliverer = connect(MqttVersion.MQTT_5, new ClientLimits(1, 64, 0));
        ListCursor cursor = cursorWith("t/#", 1, ListCursor.withBody(message("t/big", 1, 10), new byte[100]),
            message("t/small", 1, 20));

        deliver(deliverer, cursor);

        assertEquals(List.of("PUBLISH t/small [t/small] q1 #2"), writtenLines());
        assertEquals(1, undeliverable.count(UndeliverableMessages.Reason.TOO_LARGE));
        assertEquals(1, undeliverable.count());
        assertEquals(1, cursor.completed());
        assertEquals(2, cursor.nextOffset());
    }

    /**
     * The size checked against the client's Maximum Packet Size is that of the PUBLISH as
     * encoded, topic alias included, also where the alias makes the Remaining Length take one
     * more byte [MQTT-3.1.2-24].
     */
    @Test
    void noEncodedPublishIsLargerThanTheMaximumPacketSizeWhenItCarriesATopicAlias() {
        int maximum = 131;
        List<Integer> sentBodies = new ArrayList<>();
        for (int bodyLength = 100; bodyLength <= 140; bodyLength++) {
            channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
            // What Netty's decoder sets from a CONNECT: the encoder reads the version there.
            channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(MqttVersion.MQTT_5);
            Deliverer deliverer = connect(MqttVersion.MQTT_5, new ClientLimits(10, maximum, 1));
            deliver(deliverer, cursorWith("t/#", 0,
                ListCursor.withBody(message("t/a", 0, 10), new byte[bodyLength])));
            ByteBuf encoded = channel.readOutbound();
            if (encoded != null) {
                sentBodies.add(bodyLength);
                assertTrue(encoded.readableBytes() <= maximum,
                    "a body of " + bodyLength + " bytes went out in " + encoded.readableBytes() + " bytes");
                encoded.release();
            }
        }
        // 2 + 3 topic bytes, 1 property length, 3 alias bytes: up to 127 a 1-byte Remaining Length.
        assertEquals(IntStream.rangeClosed(100, 119).boxed().toList(), sentBodies);
    }

    /**
     * A topic alias is the client's once a PUBLISH told it: a message skipped as too large
     * assigns none, and one that fits only without the topic name goes out once the alias is known.
     */
    @Test
    void topicAliasesAreAssignedOnlyByPublishesThatGoOut() {
        String topic = "t/" + "x".repeat(40);
        Deliverer deliverer = connect(MqttVersion.MQTT_5, new ClientLimits(10, 60, 1));
        ListCursor cursor = cursorWith("t/#", 0, ListCursor.withBody(message(topic, 0, 10), new byte[20]),
            ListCursor.withBody(message(topic, 0, 20), new byte[1]),
            ListCursor.withBody(message(topic, 0, 30), new byte[20]));

        deliver(deliverer, cursor);

        List<MqttMessage> written = written();
        assertEquals(List.of("PUBLISH " + topic + " [\0] q0", "PUBLISH  [" + "\0".repeat(20) + "] q0"),
            written.stream().map(DelivererTest::line).toList());
        assertEquals(List.of(1, 1), written.stream()
            .map(packet -> integerProperty(packet, MqttPropertyType.TOPIC_ALIAS)).toList());
        assertEquals(1, undeliverable.count());
    }

    /** No Local: a subscription gets no message its own client published [MQTT-3.8.3-3]. */
    @Test
    void noLocalLeavesOutTheClientsOwnMessages() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = new ListCursor("t/#", new SubscriptionOptions(1, true, false, 0, 0));
        cursor.arrive(message("t/own", 1, 10, CLIENT_ID, System.currentTimeMillis(), Map.of()));
        cursor.arrive(message("t/other", 1, 20));

        deliver(deliverer, cursor);

        assertEquals(List.of("PUBLISH t/other [t/other] q1 #1"), writtenLines());
        assertEquals(1, cursor.completed(), "the own message's delivery ended at once");
        assertEquals(2, cursor.nextOffset());
    }

    /**
     * Retained messages owed to a new subscription go first, with RETAIN set [MQTT-3.3.1-9];
     * a retained message read from the queue later has RETAIN cleared without Retain As
     * Published [MQTT-3.3.1-12], kept with it [MQTT-3.3.1-13].
     */
    @Test
    void retainedMessagesOwedOnSubscribeGoFirstWithRetain() {
        Deliverer deliverer = connectV5(10);
        Map<String, String> retainedFlag = Map.of(MqttMessageProperties.RETAIN, MqttMessageProperties.RETAIN_SET);
        ListCursor plain = cursorWith("t/#", 0,
            message("t/live", 0, 30, "publisher", System.currentTimeMillis(), retainedFlag));
        ListCursor asPublished = new ListCursor("r/#", new SubscriptionOptions(0, false, true, 0, 0));
        asPublished.arrive(message("r/live", 0, 40, "publisher", System.currentTimeMillis(), retainedFlag));
        deliverer.owe(plain, new PagedRetained(10, message("t/kept", 1, 5, "publisher", 0, retainedFlag)));

        deliver(deliverer, plain, asPublished);

        assertEquals(List.of("PUBLISH t/kept [t/kept] q0 retain", "PUBLISH t/live [t/live] q0",
            "PUBLISH r/live [r/live] q0 retain"), writtenLines());
    }

    @Test
    void queuedMessagesWaitForTheOwedRetainedOnesWhenTheWindowIsFull() {
        Deliverer deliverer = connectV5(1);
        ListCursor cursor = cursorWith("t/#", 1, message("t/live", 1, 30));
        deliverer.owe(cursor, new PagedRetained(10, message("t/kept1", 1, 5), message("t/kept2", 1, 6)));

        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/kept1 [t/kept1] q1 #1 retain"), writtenLines());
        deliverer.onPubAck(1);
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/kept2 [t/kept2] q1 #2 retain"), writtenLines());
        deliverer.onPubAck(2);
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/live [t/live] q1 #3"), writtenLines());
    }

    /**
     * A lookup's next page is asked for only once the last one is sent, so a session holds one
     * page besides its window; lookups of several subscriptions go one after the other, all
     * before the queues.
     */
    @Test
    void retainedPagesAreReadOneAtATimeAsTheClientTakesThem() {
        Deliverer deliverer = connectV5(2);
        ListCursor first = cursorWith("t/#", 1, message("t/live", 1, 30));
        ListCursor second = ListCursor.subscription("u/#", 1);
        PagedRetained firstPages = new PagedRetained(2, message("t/1", 1, 1), message("t/2", 1, 2),
            message("t/3", 1, 3), message("t/4", 1, 4), message("t/5", 1, 5));
        PagedRetained secondPages = new PagedRetained(2, message("u/1", 1, 6));
        deliverer.owe(first, firstPages);
        deliverer.owe(second, secondPages);

        deliver(deliverer, first, second);
        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1 retain", "PUBLISH t/2 [t/2] q1 #2 retain"), writtenLines());
        assertEquals(2, firstPages.asked, "the page after the one sent, held until the window opens");
        deliverer.onPubAck(1);
        deliverer.onPubAck(2);
        deliver(deliverer, first, second);
        assertEquals(List.of("PUBLISH t/3 [t/3] q1 #3 retain", "PUBLISH t/4 [t/4] q1 #4 retain"), writtenLines());
        assertEquals(3, firstPages.asked);
        assertEquals(0, secondPages.asked, "the next subscription's lookup waits for the first");
        deliverer.onPubAck(3);
        deliverer.onPubAck(4);
        deliver(deliverer, first, second);
        assertEquals(List.of("PUBLISH t/5 [t/5] q1 #5 retain", "PUBLISH u/1 [u/1] q1 #6 retain"), writtenLines());
        deliverer.onPubAck(5);
        deliverer.onPubAck(6);
        deliver(deliverer, first, second);
        assertEquals(List.of("PUBLISH t/live [t/live] q1 #7"), writtenLines(), "the queue once every retained one went out");
    }

    /** A lookup that fails leaves its subscription delivering, without retained messages. */
    @Test
    void aFailedRetainedLookupIsDropped() {
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 0, message("t/live", 0, 30));
        deliverer.owe(cursor, new RetainedSource() {
            @Override
            public CompletableFuture<List<StoredMessage>> nextPage() {
                return CompletableFuture.failedFuture(new IllegalStateException("index unavailable"));
            }

            @Override
            public boolean exhausted() {
                return false;
            }
        });
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/live [t/live] q0"), writtenLines());
    }

    /** Marks the channel not writable once it has taken {@code writes} messages. */
    private static final class FillsAfter extends ChannelOutboundHandlerAdapter {
        private int writes;

        FillsAfter(int writes) {
            this.writes = writes;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg, promise);
            if (--writes == 0) {
                ctx.channel().unsafe().outboundBuffer().setUserDefinedWritability(1, false);
            }
        }
    }

    /** A channel that stops being writable stops delivery; the rest follows once it is writable again. */
    @Test
    void deliveryStopsWhileTheChannelIsNotWritable() {
        channel = new EmbeddedChannel(new FillsAfter(2));
        Deliverer deliverer = connectV5(10);
        ListCursor cursor = cursorWith("t/#", 0, message("t/1", 0, 10), message("t/2", 0, 20), message("t/3", 0, 30),
            message("t/4", 0, 40));

        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/1 [t/1] q0", "PUBLISH t/2 [t/2] q0"), writtenLines());
        assertEquals(2, cursor.nextOffset());
        deliver(deliverer, cursor);
        assertEquals(List.of(), writtenLines());
        assertEquals(1, cursor.reads);

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        deliver(deliverer, cursor);
        assertEquals(List.of("PUBLISH t/3 [t/3] q0", "PUBLISH t/4 [t/4] q0"), writtenLines());
        assertEquals(2, cursor.reads, "the batch read ahead was let go while the channel was full, and read again");
    }

    /**
     * A message that overlapping subscriptions of the session match goes out once, at the
     * highest QoS they grant [MQTT-3.3.4-2], with all their subscription identifiers
     * [MQTT-3.3.4-4]; its acknowledgement ends the delivery for each of them.
     */
    @Test
    void aMessageMatchingOverlappingSubscriptionsIsSentOnceForAll() {
        Deliverer deliverer = connectV5(10);
        ListCursor low = new ListCursor("t/#", new SubscriptionOptions(0, false, false, 0, 7));
        ListCursor high = new ListCursor("t/+", new SubscriptionOptions(2, false, false, 0, 9));
        StoredMessage both = message("t/x", 2, 10);
        low.arrive(both);
        high.arrive(both);

        deliver(deliverer, low, high);

        List<MqttMessage> written = written();
        assertEquals(List.of("PUBLISH t/x [t/x] q2 #1"), written.stream().map(DelivererTest::line).toList());
        List<Integer> ids = properties(written.get(0))
            .getProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()).stream()
            .map(property -> (Integer) property.value()).sorted().toList();
        assertEquals(List.of(7, 9), ids);

        deliverer.onPubRec(1, (byte) 0);
        assertEquals(1, low.releases.size());
        assertEquals(1, high.releases.size());
        low.releases.get(0).complete(null);
        assertEquals(List.of(), writtenLines(), "PUBREL waits for every subscription's record");
        high.releases.get(0).complete(null);
        assertEquals(List.of("PUBREL #1 0x00"), writtenLines());
        deliverer.onPubComp(1);
        assertEquals(1, low.completed());
        assertEquals(1, high.completed());
    }

    /** A subscription with No Local leaves the client's own message to an overlapping one that delivers it. */
    @Test
    void noLocalOnOneOfOverlappingSubscriptionsLeavesTheMessageToTheOther() {
        Deliverer deliverer = connectV5(10);
        ListCursor noLocal = new ListCursor("t/#", new SubscriptionOptions(2, true, false, 0, 0));
        ListCursor plain = ListCursor.subscription("t/+", 1);
        StoredMessage own = message("t/own", 2, 10, CLIENT_ID, System.currentTimeMillis(), Map.of());
        noLocal.arrive(own);
        plain.arrive(own);

        deliver(deliverer, noLocal, plain);

        assertEquals(List.of("PUBLISH t/own [t/own] q1 #1"), writtenLines());
        assertEquals(1, noLocal.completed(), "No Local's subscription is done with it at once");
        assertEquals(0, plain.completed());
        assertEquals(null, inflight.get(1).offsetIn(noLocal));
        assertEquals(0L, inflight.get(1).offsetIn(plain));
    }

    /** A cursor delivered on its own (a shared subscription's membership) reads no more than the window holds. */
    @Test
    void aSeparateCursorIsReadWithinTheWindowAndGetsItsOwnCopy() {
        Deliverer deliverer = connectV5(3);
        StoredMessage message = message("t/1", 1, 10);
        ListCursor own = cursorWith("t/#", 1, message);
        ListCursor shared = cursorWith("$share/g/t/#", 1, message, message("t/2", 1, 20), message("t/3", 1, 30));

        deliverer.deliver(List.of(own), List.of(shared));

        assertEquals(List.of("PUBLISH t/1 [t/1] q1 #1", "PUBLISH t/1 [t/1] q1 #2", "PUBLISH t/2 [t/2] q1 #3"),
            writtenLines());
        assertEquals(2, shared.nextOffset());
        deliverer.onPubAck(3);
        deliverer.deliver(List.of(own), List.of(shared));
        assertEquals(List.of("PUBLISH t/3 [t/3] q1 #4"), writtenLines());
        assertEquals(List.of(0, 1, 0), shared.settled);
    }
}
