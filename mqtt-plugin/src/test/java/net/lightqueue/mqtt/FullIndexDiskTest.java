package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.ack;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.lightqueue.host.testing.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The light-queue index on a small file system that fills up (the plugin's data directory,
 * {@code <store>/mqtt/index}, is a tmpfs): publishes and new connections are refused while it
 * cannot be written, no connection but the v3 publisher's ends, and once space returns the broker
 * resumes by itself and delivers every message it accepted, in order, once.
 */
class FullIndexDiskTest {

    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int SERVER_UNAVAILABLE_V3 = 0x03;
    private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    @TempDir
    Path store;

    private int nextPacketId;

    @Test
    void aFullIndexDiskRefusesPublishesKeepsConnectionsAndResumesByItselfWhenSpaceReturns() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(store.resolve("mqtt").resolve("index"), "32m");
             MqttBroker broker = MqttBroker.start(store, "mqttIndexFlushIntervalMs=20", "mqttIndexBlockCacheMb=8",
                 "mqttIndexWriteBufferMb=1");
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port());
             RawClient v3Publisher = new RawClient(broker.port());
             BrokerLogWatch log = BrokerLogWatch.attach(message -> message.contains("publishes refused"))) {
            connect(subscriber, connectV5("disk-sub", true, 0));
            subscribe(subscriber, "disk/#", 1);
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "disk-pub"), 0);
            Packets.assertConnAck(v3Publisher.connected(MqttVersion.MQTT_3_1_1, "disk-v3"), 0);
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                assertEquals(0, publish(publisher, "before-" + i, accepted));
            }

            disk.fill();
            // Taken until the index's next flush fails on the full disk; refused from then on.
            int reason = 0;
            long deadline = System.nanoTime() + AWAIT_NANOS;
            for (int i = 0; reason == 0 && System.nanoTime() < deadline; i++) {
                reason = publish(publisher, "during-" + i, accepted);
            }
            assertEquals(QUOTA_EXCEEDED, reason, "a full index disk is Quota exceeded");
            assertEquals(QUOTA_EXCEEDED, publish(publisher, "refused", accepted), "the v5 publisher stays connected");
            v3Publisher.send(Packets.publish("disk/t", 1, 1, "v3"));
            v3Publisher.awaitClose(); // no negative PUBACK in 3.1.1: the connection closes [MQTT-3.3.5-2]
            // A CONNECT records its session through the index: refused rather than left waiting.
            try (RawClient newcomer = new RawClient(broker.port())) {
                Packets.assertConnAck(newcomer.connected(MqttVersion.MQTT_5, "disk-new"), QUOTA_EXCEEDED);
            }
            try (RawClient v3Again = new RawClient(broker.port())) {
                Packets.assertConnAck(v3Again.connected(MqttVersion.MQTT_3_1_1, "disk-v3"), SERVER_UNAVAILABLE_V3);
            }

            disk.free();
            reason = QUOTA_EXCEEDED;
            deadline = System.nanoTime() + AWAIT_NANOS;
            for (int i = 0; reason != 0 && System.nanoTime() < deadline; i++) {
                reason = publish(publisher, "after-" + i, accepted);
                if (reason != 0) {
                    Thread.sleep(50); // the dispatcher retries on its own, with backoff
                }
            }
            assertEquals(0, reason, "publishes are taken again once the disk has space");
            for (int i = 0; i < 5; i++) {
                assertEquals(0, publish(publisher, "later-" + i, accepted));
            }
            try (RawClient v3Again = new RawClient(broker.port())) {
                Packets.assertConnAck(v3Again.connected(MqttVersion.MQTT_3_1_1, "disk-v3"), 0);
                assertEquals(0, publish(v3Again, "v3-later", accepted));
            }

            List<String> received = new ArrayList<>();
            while (received.size() < accepted.size()) {
                MqttPublishMessage message = nextPublish(subscriber);
                received.add(text(message));
                ack(subscriber, MqttMessageType.PUBACK, message.variableHeader().packetId());
                message.release();
            }
            assertEquals(accepted, received, "every accepted message, in order, once");
            assertTrue(received.stream().anyMatch(payload -> payload.startsWith("during-")), "some were taken while filling");
            publish(publisher, "marker", accepted);
            MqttPublishMessage marker = nextPublish(subscriber);
            assertEquals("marker", text(marker), "nothing delivered twice");
            marker.release();
            List<String> logged = log.drain();
            assertEquals(1, logged.size(), "one error, no storm: " + logged);
            assertTrue(logged.get(0).contains("the light-queue index cannot be written"), logged.get(0));
        }
    }

    /** Publishes at QoS 1 and returns the PUBACK's reason code; an accepted payload is added to {@code accepted}. */
    private int publish(RawClient publisher, String payload, List<String> accepted) throws IOException {
        int packetId = nextPacketId++ % 65_535 + 1;
        publisher.send(Packets.publish("disk/t", 1, packetId, payload));
        MqttMessage reply = publisher.read();
        assertNotNull(reply, "expected PUBACK, the server closed the connection");
        assertEquals(MqttMessageType.PUBACK, reply.fixedHeader().messageType());
        MqttPubReplyMessageVariableHeader header = (MqttPubReplyMessageVariableHeader) reply.variableHeader();
        assertEquals(packetId, header.messageId());
        int reason = header.reasonCode() & 0xFF;
        if (reason == 0) {
            accepted.add(payload);
        }
        return reason;
    }
}
