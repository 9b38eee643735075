package net.lightqueue.mqtt.publish;

import static net.lightqueue.mqtt.Packets.assertDisconnect;
import static net.lightqueue.mqtt.Packets.assertReply;
import static net.lightqueue.mqtt.Packets.publish;
import static net.lightqueue.mqtt.Packets.resend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import net.lightqueue.mqtt.persistence.StateFamilies;
import net.lightqueue.dispatch.IndexFailure;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.mqtt.InMemoryLightQueues;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.auth.AnonymousAccessControl;
import net.lightqueue.mqtt.connection.ClientLimits;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.persistence.SessionStore;
import org.apache.rocketmq.store.PutMessageStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiving side of the PUBLISH flows on one connection, with writes the test completes. */
class InboundPublishesTest {

    private static final String CLIENT = "sensor-1";
    private static final byte PROTOCOL_ERROR = (byte) 0x82;
    private static final byte RECEIVE_MAXIMUM_EXCEEDED = (byte) 0x93;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final MqttConnection connection = new MqttConnection(channel);
    private final RecordingWriter writer = new RecordingWriter();
    private final RefusedPublishes refused = new RefusedPublishes();
    private final InMemoryLightQueues queues = new InMemoryLightQueues();
    private final ReceivedQos2 received = new ReceivedQos2(CLIENT, new SessionStore(queues, queues));
    private Optional<IndexFailure> indexFailure = Optional.empty();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void qos1PubacksFollowTheirWritesInArrivalOrderWhenWritesCompleteOutOfOrder() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        publishes.onPublish(publish("home/a", 1, 1, "one"));
        publishes.onPublish(publish("home/b", 1, 2, "two"));
        publishes.onPublish(publish("home/c", 1, 3, "three"));
        assertEquals(List.of("one", "two", "three"), writer.writes().stream().map(RecordingWriter.Write::payload).toList());
        assertEquals("home", writer.write(0).rocketTopic());

        writer.write(2).succeed();
        writer.write(1).succeed();
        channel.runPendingTasks();
        assertNull(channel.readOutbound(), "no PUBACK before the write of the first publish completes");

        writer.write(0).succeed();
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 1, 0);
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 2, 0);
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 3, 0);
        assertNull(channel.readOutbound());
    }

    @Test
    void qos2IsAnsweredAfterItsWriteAndItsRecordAndAResendIsNotWrittenAgain() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        received.persistent(true);
        queues.holdStateWrites();
        publishes.onPublish(publish("home/door", 2, 7, "open"));
        publishes.onPublish(resend("home/door", 2, 7, "open"));
        writer.write(0).succeed();
        channel.runPendingTasks();
        assertNull(channel.readOutbound(), "no PUBREC before the packet id is recorded");
        assertEquals(1, writer.writes().size(), "the resend during the write is not written");

        assertEquals(1, queues.applyHeldStateWrites());
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBREC, 7, 0);
        assertEquals(Set.of(7), new SessionStore(queues, queues).receivedQos2(CLIENT));

        publishes.onPublish(resend("home/door", 2, 7, "open"));
        assertReply(channel.readOutbound(), MqttMessageType.PUBREC, 7, 0);
        assertEquals(1, writer.writes().size(), "the same message is not written twice [MQTT-4.3.3-10]");

        publishes.onPubRel(7);
        channel.runPendingTasks();
        assertNull(channel.readOutbound(), "no PUBCOMP before the release is recorded");
        assertEquals(1, queues.applyHeldStateWrites());
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBCOMP, 7, 0);
        assertEquals(0, queues.stateCount(StateFamilies.PROGRESS));

        publishes.onPublish(publish("home/door", 2, 7, "closed"));
        assertEquals(List.of("open", "closed"), writer.writes().stream().map(RecordingWriter.Write::payload).toList(),
            "after PUBCOMP the packet id names a new message [MQTT-4.3.3-13]");
        assertNull(channel.readOutbound());
    }

    @Test
    void whileTheIndexFailsV5PublishesAreRefusedWithItsReasonAndTheConnectionStays() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        indexFailure = Optional.of(new IndexFailure("flush failed: No space left on device", true));
        publishes.onPublish(publish("home/a", 1, 1, "full"));
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 1, 0x97);
        publishes.onPublish(publish("home/a", 0, 0, "dropped"));
        assertNull(channel.readOutbound(), "QoS 0 is dropped without an answer");
        indexFailure = Optional.of(new IndexFailure("write failed: I/O error", false));
        publishes.onPublish(publish("home/a", 2, 2, "failing"));
        assertReply(channel.readOutbound(), MqttMessageType.PUBREC, 2, 0x80);
        assertTrue(channel.isOpen());
        assertTrue(writer.writes().isEmpty(), "nothing refused is written");

        indexFailure = Optional.empty();
        publishes.onPublish(publish("home/a", 1, 1, "recovered"));
        writer.write(0).succeed();
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 1, 0);
    }

    @Test
    void whileTheIndexFailsAV3PublishClosesTheConnection_MQTT_3_3_5_2() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_3_1_1, 100);
        indexFailure = Optional.of(new IndexFailure("flush failed: No space left on device", true));
        publishes.onPublish(publish("home/a", 1, 1, "full"));
        channel.runPendingTasks();
        assertFalse(channel.isOpen(), "a v3 client has no negative acknowledgement");
        assertTrue(writer.writes().isEmpty());
    }

    @Test
    void aQos2IdWhoseRecordFailedIsRefusedAndFreeForTheNextMessage() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        received.persistent(true);
        queues.holdStateWrites();
        publishes.onPublish(publish("home/door", 2, 4, "open"));
        writer.write(0).succeed();
        assertEquals(1, queues.failHeldStateWrites());
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBREC, 4, 0x80);

        publishes.onPublish(publish("home/door", 2, 4, "closed"));
        assertNull(channel.readOutbound(), "not taken for a resend of the refused message");
        assertEquals(List.of("open", "closed"), writer.writes().stream().map(RecordingWriter.Write::payload).toList());
    }

    @Test
    void aReleaseThatIsNotRecordedEndsTheConnectionWithoutPubcomp() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        received.persistent(true);
        publishes.onPublish(publish("home/door", 2, 3, "open"));
        writer.write(0).succeed();
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBREC, 3, 0);

        queues.holdStateWrites();
        publishes.onPubRel(3);
        assertEquals(1, queues.failHeldStateWrites());
        channel.runPendingTasks();
        assertDisconnect(channel.readOutbound(), 0x80);
        assertFalse(channel.isOpen(), "the client sends PUBREL again on its next connection");
    }

    @Test
    void aPubrelForAnIdNotAwaitingReleaseIsAnsweredWithPacketIdentifierNotFound() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        publishes.onPubRel(9);
        channel.runPendingTasks();
        assertReply(channel.readOutbound(), MqttMessageType.PUBCOMP, 9, 0x92);
    }

    @Test
    void aPacketIdReusedWhileInFlightEndsTheConnection() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        publishes.onPublish(publish("home/a", 1, 5, "first"));
        publishes.onPublish(publish("home/a", 2, 5, "second"));

        assertDisconnect(channel.readOutbound(), PROTOCOL_ERROR); // [MQTT-2.2.1-3]
        assertFalse(channel.isOpen());
        assertEquals(1, writer.writes().size());
    }

    @Test
    void moreUnacknowledgedPublishesThanReceiveMaximumEndTheConnection() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 2);
        publishes.onPublish(publish("home/a", 1, 1, "one"));
        publishes.onPublish(publish("home/a", 2, 2, "two"));
        publishes.onPublish(publish("home/a", 1, 3, "three"));

        assertDisconnect(channel.readOutbound(), RECEIVE_MAXIMUM_EXCEEDED); // [MQTT-3.3.4-9]
        assertNull(channel.readOutbound());
        assertFalse(channel.isOpen());
        assertEquals(2, writer.writes().size());
    }

    @Test
    void aFailedWriteIsRefusedWithTheStoresReasonCodeInItsPlaceInTheOrder() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        publishes.onPublish(publish("home/a", 1, 1, "one"));
        publishes.onPublish(publish("home/a", 2, 2, "two"));
        publishes.onPublish(publish("home/a", 1, 3, "three"));

        writer.write(2).succeed();
        writer.write(1).fail(CommitLogWriter.reasonCode(PutMessageStatus.OS_PAGE_CACHE_BUSY), "OS_PAGE_CACHE_BUSY");
        writer.write(0).fail(CommitLogWriter.reasonCode(PutMessageStatus.MESSAGE_ILLEGAL), "MESSAGE_ILLEGAL");
        channel.runPendingTasks();

        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 1, 0x83);
        assertReply(channel.readOutbound(), MqttMessageType.PUBREC, 2, 0x97);
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 3, 0);
        assertNull(channel.readOutbound());
        assertFalse(received.contains(2), "a refused QoS 2 id is not recorded");

        publishes.onPublish(publish("home/a", 2, 2, "two again"));
        assertEquals(4, writer.writes().size(), "the refused id is free again");
    }

    @Test
    void aFailedWriteEndsAV3ConnectionWithoutAcknowledgement() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_3_1_1, 100);
        publishes.onPublish(publish("home/a", 1, 1, "one"));
        writer.write(0).fail(CommitLogWriter.reasonCode(PutMessageStatus.FLUSH_DISK_TIMEOUT), "FLUSH_DISK_TIMEOUT");
        channel.runPendingTasks();

        assertNull(channel.readOutbound(), "MQTT 3.1.1 has no negative PUBACK: the connection closes");
        assertFalse(channel.isOpen());
    }

    /** A payload declared UTF-8 that is not [MQTT-3.3.2-4], and a wildcard in a topic name [MQTT-3.3.2-2]: refused, counted. */
    @Test
    void refusedPublishesAreCountedByReason() {
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100);
        MqttProperties utf8 = new MqttProperties();
        utf8.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        publishes.onPublish(publish("home/a", 1, 1, new byte[] {(byte) 0xC3, (byte) 0x28}, utf8));
        publishes.onPublish(publish("home/+", 1, 2, "wildcard"));

        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 1, 0x99);
        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 2, 0x90);
        assertEquals(1, refused.count(RefusedPublishes.Reason.MALFORMED));
        assertEquals(1, refused.count(RefusedPublishes.Reason.TOPIC_REFUSED));
        assertEquals(0, refused.count(RefusedPublishes.Reason.ACL_DENIED));
        assertEquals(0, writer.writes().size());
    }

    /** A publish the access control denies is answered with 0x87 and counted as an ACL denial. */
    @Test
    void aPublishTheAccessControlDeniesIsCountedAsAnAclDenial() {
        AccessControl denying = mock(AccessControl.class);
        when(denying.mayPublish(any(), eq("home"))).thenReturn(false);
        InboundPublishes publishes = connect(MqttVersion.MQTT_5, 100, denying);

        publishes.onPublish(publish("home/a", 1, 1, "denied"));

        assertReply(channel.readOutbound(), MqttMessageType.PUBACK, 1, 0x87);
        assertEquals(1, refused.count(RefusedPublishes.Reason.ACL_DENIED));
        assertEquals(0, writer.writes().size());
    }

    @Test
    void theStoresAnswersMapToMqttReasonCodes() {
        assertEquals(0, CommitLogWriter.reasonCode(PutMessageStatus.PUT_OK));
        assertEquals(0x83, CommitLogWriter.reasonCode(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED) & 0xFF);
        assertEquals(0x97, CommitLogWriter.reasonCode(PutMessageStatus.LMQ_CONSUME_QUEUE_NUM_EXCEEDED) & 0xFF);
        assertEquals(0x80, CommitLogWriter.reasonCode(PutMessageStatus.SERVICE_NOT_AVAILABLE) & 0xFF);
        assertEquals(0x80, CommitLogWriter.reasonCode(null) & 0xFF);
    }

    private InboundPublishes connect(MqttVersion version, int receiveMaximum) {
        return connect(version, receiveMaximum, new AnonymousAccessControl(true));
    }

    private InboundPublishes connect(MqttVersion version, int receiveMaximum, AccessControl access) {
        Properties properties = new Properties();
        properties.setProperty("mqttReceiveMaximum", String.valueOf(receiveMaximum));
        MqttSettings settings = SettingsBinder.bind(MqttSettings.class, properties);
        connection.accepted(version, CLIENT, null, new ClientLimits(100, ClientLimits.PROTOCOL_MAXIMUM_PACKET_SIZE, 0));
        RocketTopics firstLevels = mqttTopic -> RocketTopics.Target.of(Topics.firstLevel(mqttTopic), 0);
        PublishServices services = new PublishServices(settings, access, firstLevels, writer, refused,
            () -> indexFailure);
        return new InboundPublishes(connection, services, received);
    }
}
