package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.Packets.assertConnAck;
import static net.lightqueue.mqtt.Packets.assertDisconnect;
import static net.lightqueue.mqtt.Packets.assertReply;
import static net.lightqueue.mqtt.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long a connection may stay silent, over real sockets: one and a half keep alive periods
 * after CONNECT, without limit for keep alive 0, mqttConnectTimeoutSeconds before CONNECT. Only
 * lower bounds are tight; the upper bounds are generous, for a loaded machine.
 */
class KeepAliveTest {

    private static final int CONNECT_TIMEOUT_SECONDS = 2;
    private static final long GENEROUS_MILLIS = 10_000;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("mqttConnectTimeoutSeconds=" + CONNECT_TIMEOUT_SECONDS);

    @Test
    void pingsMoreOftenThanTheKeepAliveKeepTheConnectionOpen_MQTT_3_1_2_22() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(RawClient.connect(MqttVersion.MQTT_5, "pinging", true, 1));
            assertConnAck(client.read(), 0);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // over three allowances of 1.5 s
            while (System.nanoTime() < end) {
                Thread.sleep(700);
                assertPingAnswered(client);
            }
            assertPingAnswered(client);
        }
    }

    /** The bytes of a packet still arriving count as the client being there, as with Netty's IdleStateHandler. */
    @Test
    void aPacketArrivingSlowerThanTheKeepAliveKeepsTheConnectionOpen() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(RawClient.connect(MqttVersion.MQTT_5, "trickling", true, 1));
            assertConnAck(client.read(), 0);
            byte[] packet = client.encode(publish("k", 1, 1, "x")); // 9 bytes, 600 ms apart: over 3 allowances
            for (byte b : packet) {
                Thread.sleep(600);
                client.sendRaw(b);
            }
            assertReply(client.read(), MqttMessageType.PUBACK, 1, 0);
        }
    }

    @Test
    void silenceEndsTheConnectionNoEarlierThanOneAndAHalfKeepAlives_MQTT_3_1_2_22() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            long start = System.nanoTime(); // before the server's clock starts: its CONNECT is not yet sent
            client.send(RawClient.connect(MqttVersion.MQTT_5, "silent", true, 2));
            assertConnAck(client.read(), 0);
            assertDisconnect(client.read(), 0x8D);
            long elapsed = millisSince(start);
            assertTrue(elapsed >= 3_000, "ended after " + elapsed + " ms, before 1.5 keep alive periods");
            assertTrue(elapsed < 3_000 + GENEROUS_MILLIS, "ended only after " + elapsed + " ms");
            client.awaitClose();
        }
    }

    /** Keep alive 0 turns the mechanism off (section 3.1.2.10), and the connect timeout no longer applies either. */
    @Test
    void keepAliveZeroIsNeverEndedForSilence() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(RawClient.connect(MqttVersion.MQTT_5, "no-keep-alive", true, 0));
            assertConnAck(client.read(), 0);
            Thread.sleep(TimeUnit.SECONDS.toMillis(2 * CONNECT_TIMEOUT_SECONDS));
            assertPingAnswered(client);
        }
    }

    /** A server SHOULD close a connection that sends no CONNECT within a reasonable time (section 3.1.4). */
    @Test
    void aConnectionWithoutConnectIsClosedAfterTheConnectTimeout() throws Exception {
        long start = System.nanoTime(); // before the server accepts the connection
        try (RawClient client = new RawClient(broker.port())) {
            client.awaitClose();
            long elapsed = millisSince(start);
            assertTrue(elapsed >= TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS),
                "closed after " + elapsed + " ms, before mqttConnectTimeoutSeconds");
            assertTrue(elapsed < TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS) + GENEROUS_MILLIS,
                "closed only after " + elapsed + " ms");
        }
    }

    /**
     * The connect timeout is a deadline from the connection's start: a CONNECT trickled in a byte at
     * a time, each byte well within the timeout, is still cut off (section 3.1.4; a slowloris client
     * otherwise holds a connection, and its descriptor, for as long as it likes).
     */
    @Test
    void aConnectTricklingInIsClosedAtTheConnectTimeout() throws Exception {
        long start = System.nanoTime();
        try (RawClient client = new RawClient(broker.port())) {
            byte[] packet = client.encode(RawClient.connect(MqttVersion.MQTT_5, "t".repeat(40), true, 60));
            long trickleMillis = packet.length * 400L; // over 20 s, beyond the read timeout of RawClient
            Thread trickle = new Thread(() -> {
                try {
                    for (byte b : packet) {
                        Thread.sleep(400);
                        client.sendRaw(b);
                    }
                } catch (IOException | InterruptedException closedOrDone) {
                    // the server closed the connection, which is what the test waits for
                }
            });
            trickle.start();
            MqttMessage answer = client.read();
            long elapsed = millisSince(start);
            trickle.interrupt();
            trickle.join();
            assertNull(answer, "the trickled CONNECT was answered after " + elapsed + " ms");
            assertTrue(elapsed >= TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS),
                "closed after " + elapsed + " ms, before mqttConnectTimeoutSeconds");
            assertTrue(elapsed < trickleMillis, "closed only after " + elapsed + " ms, once the CONNECT was complete");
        }
    }

    private static void assertPingAnswered(RawClient client) throws IOException {
        client.send(MqttMessage.PINGREQ);
        MqttMessage answer = client.read();
        assertNotNull(answer, "the server closed the connection");
        assertEquals(MqttMessageType.PINGRESP, answer.fixedHeader().messageType());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
