package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.Packets.assertReply;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessageType;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 2 publish from a client is stored exactly once, also when the client resends it on a
 * new connection of its session: the packet ids answered with PUBREC and not yet released are
 * session state (MQTT 3.1.1 section 4.1, MQTT 5 section 4.1) [MQTT-4.3.3-9..12].
 */
class InboundExactlyOnceTest {

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @Test
    void publishResentWithDupAfterAReconnectIsStoredOnce_MQTT_4_3_3_10() throws Exception {
        try (RawClient subscriber = subscriber("eo-reconnect-sub", "eo/reconnect")) {
            try (RawClient publisher = new RawClient(broker.port())) {
                assertFalse(connect(publisher, connectV5("eo-reconnect", true, 600)));
                publisher.send(Packets.publish("eo/reconnect", 2, 7, "once"));
                assertReply(publisher.read(), MqttMessageType.PUBREC, 7, 0);
            } // dropped before PUBREL
            assertEquals("once", text(nextPublish(subscriber)));
            try (RawClient publisher = new RawClient(broker.port())) {
                assertTrue(connect(publisher, connectV5("eo-reconnect", false, 600)));
                resendAndRelease(publisher, "eo/reconnect", 7);
                assertOnlyMarkerFollows(publisher, subscriber, "eo/reconnect");
            }
        }
    }

    @Test
    void publishResentWithDupAfterATakeoverIsStoredOnce_MQTT_4_3_3_10() throws Exception {
        try (RawClient subscriber = subscriber("eo-takeover-sub", "eo/takeover");
             RawClient first = new RawClient(broker.port())) {
            connect(first, connectV5("eo-takeover", true, 600));
            first.send(Packets.publish("eo/takeover", 2, 3, "once"));
            assertReply(first.read(), MqttMessageType.PUBREC, 3, 0);
            assertEquals("once", text(nextPublish(subscriber)));
            try (RawClient second = new RawClient(broker.port())) {
                assertTrue(connect(second, connectV5("eo-takeover", false, 600)));
                Packets.assertDisconnect(first.read(), 0x8E);
                resendAndRelease(second, "eo/takeover", 3);
                assertOnlyMarkerFollows(second, subscriber, "eo/takeover");
            }
        }
    }

    /** A session without expiry keeps the ids too, for as long as it lasts: takeover without clean start. */
    @Test
    void sessionWithoutExpiryKeepsItsReceivedIdsAcrossATakeover_MQTT_4_3_3_10() throws Exception {
        try (RawClient subscriber = subscriber("eo-clean-sub", "eo/clean");
             RawClient first = new RawClient(broker.port())) {
            connect(first, connectV5("eo-clean", true, 0));
            first.send(Packets.publish("eo/clean", 2, 4, "once"));
            assertReply(first.read(), MqttMessageType.PUBREC, 4, 0);
            assertEquals("once", text(nextPublish(subscriber)));
            try (RawClient second = new RawClient(broker.port())) {
                assertTrue(connect(second, connectV5("eo-clean", false, 0)));
                resendAndRelease(second, "eo/clean", 4);
                assertOnlyMarkerFollows(second, subscriber, "eo/clean");
            }
        }
    }

    @Test
    void pubRelForAnUnknownPacketIdGetsPubComp0x92_MQTT_4_3_3_12() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            connect(client, connectV5("eo-unknown", true, 0));
            client.send(Packets.pubRel(42));
            assertReply(client.read(), MqttMessageType.PUBCOMP, 42, 0x92);
        }
    }

    @Test
    void publishResentWithDupAfterABrokerRestartIsStoredOnce_MQTT_4_3_3_10(@TempDir Path restarted) throws Exception {
        try (MqttBroker first = MqttBroker.start(restarted);
             RawClient subscriber = new RawClient(first.port());
             RawClient publisher = new RawClient(first.port())) {
            connect(subscriber, connectV5("eo-restart-sub", true, 600));
            subscribe(subscriber, "eo/restart", 1);
            connect(publisher, connectV5("eo-restart", true, 600));
            publisher.send(Packets.publish("eo/restart", 2, 9, "once"));
            assertReply(publisher.read(), MqttMessageType.PUBREC, 9, 0);
            var delivered = nextPublish(subscriber);
            assertEquals("once", text(delivered));
            SessionClients.ack(subscriber, MqttMessageType.PUBACK, delivered.variableHeader().packetId());
            subscriber.send(SessionClients.disconnect(0)); // after the PUBACK, so the stop records it
            subscriber.awaitClose();
        }
        try (MqttBroker second = MqttBroker.start(restarted);
             RawClient publisher = new RawClient(second.port());
             RawClient subscriber = new RawClient(second.port())) {
            assertTrue(connect(publisher, connectV5("eo-restart", false, 600)));
            resendAndRelease(publisher, "eo/restart", 9);
            assertTrue(connect(subscriber, connectV5("eo-restart-sub", false, 600)));
            assertOnlyMarkerFollows(publisher, subscriber, "eo/restart");
        }
    }

    private static RawClient subscriber(String clientId, String topic) throws IOException {
        RawClient subscriber = new RawClient(broker.port());
        connect(subscriber, connectV5(clientId, true, 0));
        subscribe(subscriber, topic, 0);
        return subscriber;
    }

    /** The resent PUBLISH is answered with PUBREC again, its PUBREL with PUBCOMP, a second PUBREL with 0x92. */
    private static void resendAndRelease(RawClient publisher, String topic, int packetId) throws IOException {
        publisher.send(Packets.resend(topic, 2, packetId, "once"));
        assertReply(publisher.read(), MqttMessageType.PUBREC, packetId, 0);
        publisher.send(Packets.pubRel(packetId));
        assertReply(publisher.read(), MqttMessageType.PUBCOMP, packetId, 0);
        publisher.send(Packets.pubRel(packetId));
        assertReply(publisher.read(), MqttMessageType.PUBCOMP, packetId, 0x92);
    }

    /** Publishes a marker after the resend: the subscriber's next message is the marker, not a second copy. */
    private static void assertOnlyMarkerFollows(RawClient publisher, RawClient subscriber, String topic) throws IOException {
        SessionClients.publish(publisher, topic, "marker", 100);
        assertEquals("marker", text(nextPublish(subscriber)), "the resent publish was not stored again");
    }
}
