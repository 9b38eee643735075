package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.publish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wills on each way a connection ends. Each test watches its own topic; the absence of a will
 * is shown by a marker published afterwards arriving first.
 */
class WillTest {

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    static MqttConnectMessage withWill(MqttVersion version, String clientId, String topic, int keepAlive,
                                       MqttProperties willProperties, long sessionExpiry) {
        return MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId).cleanSession(true)
            .keepAlive(keepAlive).willFlag(true).willTopic(topic).willQoS(MqttQoS.AT_LEAST_ONCE)
            .willMessage(("gone " + clientId).getBytes(StandardCharsets.UTF_8)).willProperties(willProperties)
            .properties(version == MqttVersion.MQTT_5 ? SessionClients.expiry(sessionExpiry) : MqttProperties.NO_PROPERTIES)
            .build();
    }

    static MqttConnectMessage withWill(MqttVersion version, String clientId, String topic) {
        return withWill(version, clientId, topic, 60, MqttProperties.NO_PROPERTIES, 0);
    }

    /** A subscriber of {@code topic} and of its marker topic {@code topic/marker}. */
    static RawClient watcher(String topic) throws Exception {
        RawClient watcher = new RawClient(broker.port());
        Packets.assertConnAck(watcher.connected(MqttVersion.MQTT_5, "watch-" + topic.replace('/', '-')), 0);
        subscribe(watcher, topic + "/#", 1);
        return watcher;
    }

    static void assertWill(RawClient watcher, String clientId) throws Exception {
        MqttPublishMessage will = nextPublish(watcher);
        assertEquals("gone " + clientId, text(will));
    }

    /** Publishes a marker and expects it as the next message: no will came before it. */
    static void assertNoWill(RawClient watcher, String topic) throws Exception {
        try (RawClient publisher = new RawClient(broker.port())) {
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_5, "marker-" + topic.replace('/', '-')), 0);
            publish(publisher, topic + "/marker", "marker", 1);
        }
        assertEquals("marker", text(nextPublish(watcher)));
    }

    @Test
    void willOnNetworkError_MQTT_3_1_2_8() throws Exception {
        try (RawClient watcher = watcher("will/net")) {
            RawClient client = new RawClient(broker.port());
            connect(client, withWill(MqttVersion.MQTT_3_1_1, "net", "will/net"));
            client.close();
            assertWill(watcher, "net");
        }
    }

    @Test
    void aWillWithAnEmptyPayloadIsPublished() throws Exception {
        try (RawClient watcher = watcher("will/empty")) {
            RawClient client = new RawClient(broker.port());
            connect(client, MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("empty")
                .cleanSession(true).keepAlive(60).willFlag(true).willTopic("will/empty").willQoS(MqttQoS.AT_LEAST_ONCE)
                .willMessage(new byte[0]).build());
            client.close();
            MqttPublishMessage will = nextPublish(watcher);
            assertEquals("will/empty", will.variableHeader().topicName());
            assertEquals(0, will.payload().readableBytes());
            assertNoWill(watcher, "will/empty"); // and nothing else is held up behind it
        }
    }

    @Test
    void noWillAfterANormalDisconnect_MQTT_3_1_2_10() throws Exception {
        try (RawClient watcher = watcher("will/normal");
             RawClient client = new RawClient(broker.port())) {
            connect(client, withWill(MqttVersion.MQTT_5, "normal", "will/normal"));
            client.send(SessionClients.disconnect(0x00));
            client.awaitClose();
            assertNoWill(watcher, "will/normal");
        }
    }

    @Test
    void willOnDisconnectWithWillMessage_MQTT_3_14_4_3() throws Exception {
        try (RawClient watcher = watcher("will/asked");
             RawClient client = new RawClient(broker.port())) {
            connect(client, withWill(MqttVersion.MQTT_5, "asked", "will/asked"));
            client.send(SessionClients.disconnect(0x04));
            client.awaitClose();
            assertWill(watcher, "asked");
        }
    }

    @Test
    void willOnKeepAliveTimeout_MQTT_3_1_2_22() throws Exception {
        try (RawClient watcher = watcher("will/idle");
             RawClient client = new RawClient(broker.port())) {
            connect(client, withWill(MqttVersion.MQTT_3_1_1, "idle", "will/idle", 1, MqttProperties.NO_PROPERTIES, 0));
            client.awaitClose();
            assertWill(watcher, "idle");
        }
    }

    @Test
    void willOnProtocolError_MQTT_3_1_0_2() throws Exception {
        try (RawClient watcher = watcher("will/error");
             RawClient client = new RawClient(broker.port())) {
            connect(client, withWill(MqttVersion.MQTT_5, "error", "will/error"));
            client.send(RawClient.connect(MqttVersion.MQTT_5, "error", true, 60)); // a second CONNECT
            client.awaitClose();
            assertWill(watcher, "error");
        }
    }

    @Test
    void willOfATakenOverConnection_MQTT_3_1_4_3() throws Exception {
        try (RawClient watcher = watcher("will/taken");
             RawClient first = new RawClient(broker.port());
             RawClient second = new RawClient(broker.port())) {
            connect(first, withWill(MqttVersion.MQTT_5, "taken", "will/taken"));
            connect(second, RawClient.connect(MqttVersion.MQTT_5, "taken", true, 60));
            Packets.assertDisconnect(first.read(), 0x8E);
            assertWill(watcher, "taken");
        }
    }

    @Test
    void willPropertiesArePreserved_MQTT_3_1_3_10() throws Exception {
        try (RawClient watcher = watcher("will/props")) {
            RawClient client = new RawClient(broker.port());
            MqttProperties properties = RawClient.properties(
                new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain"),
                new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
            connect(client, withWill(MqttVersion.MQTT_5, "props", "will/props", 60, properties, 0));
            client.close();
            MqttPublishMessage will = nextPublish(watcher);
            assertEquals("gone props", text(will));
            assertEquals("text/plain", ((StringProperty) will.variableHeader().properties()
                .getProperty(MqttPropertyType.CONTENT_TYPE.value())).value());
        }
    }

    @Test
    void delayedWillIsCancelledByAReconnect_MQTT_3_1_3_9() throws Exception {
        try (RawClient watcher = watcher("will/back")) {
            RawClient client = new RawClient(broker.port());
            connect(client, withWill(MqttVersion.MQTT_5, "back", "will/back", 60, willDelay(2), 600));
            client.close();
            try (RawClient again = new RawClient(broker.port())) {
                assertTrue(connect(again, connectV5("back", false, 600)));
                TimeUnit.MILLISECONDS.sleep(2500); // past the delay: the will would have been published by now
                assertNoWill(watcher, "will/back");
            }
        }
    }

    @Test
    void delayedWillIsPublishedAfterItsDelay_MQTT_3_1_2_8() throws Exception {
        try (RawClient watcher = watcher("will/late")) {
            RawClient client = new RawClient(broker.port());
            connect(client, withWill(MqttVersion.MQTT_5, "late", "will/late", 60, willDelay(1), 600));
            client.close();
            assertWill(watcher, "late");
        }
    }

    static MqttProperties willDelay(int seconds) {
        return RawClient.properties(new IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(), seconds));
    }
}
