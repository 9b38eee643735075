package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retained messages with Paho v5 and v3 clients: storage, retain handling, Retain As Published, $SYS. */
class RetainedConformanceTest {

    private static final long WAIT_SECONDS = 20;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("mqttSysIntervalSeconds=1");

    record Received(String topic, String payload, boolean retained) {
        @Override
        public String toString() {
            return topic + "=" + payload + (retained ? " (retained)" : "");
        }
    }

    /** A v5 client that records what arrives. */
    static final class Client extends MessageCallback implements AutoCloseable {
        final MqttAsyncClient client;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        Client(String clientId) throws MqttException {
            client = new MqttAsyncClient(broker.uri(), clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion();
        }

        void subscribe(String filter, int retainHandling, boolean retainAsPublished) throws MqttException {
            MqttSubscription subscription = new MqttSubscription(filter, 1);
            subscription.setRetainHandling(retainHandling);
            subscription.setRetainAsPublished(retainAsPublished);
            client.subscribe(subscription).waitForCompletion();
        }

        void publish(String topic, String payload, boolean retain) throws MqttException {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retain).waitForCompletion();
        }

        Received next() throws InterruptedException {
            Received next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next, "no message within " + WAIT_SECONDS + " s");
            return next;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion();
            client.close();
        }
    }

    @Test
    void aNewSubscriptionGetsTheLatestRetainedMessagePerTopicWithRetainSet_MQTT_3_3_1_5_6_9() throws Exception {
        try (Client publisher = new Client("rp1"); Client subscriber = new Client("rs1")) {
            publisher.publish("store/a", "1", true);
            publisher.publish("store/a", "2", true); // replaces [MQTT-3.3.1-5]
            publisher.publish("store/b", "x", true);
            publisher.publish("store/b", "", true); // deletes [MQTT-3.3.1-6]
            publisher.publish("store/c", "live only", false);
            subscriber.subscribe("store/+", 0, false);
            assertEquals(new Received("store/a", "2", true), subscriber.next()); // [MQTT-3.3.1-9]
            publisher.publish("store/c", "marker", false);
            assertEquals(new Received("store/c", "marker", false), subscriber.next(), "nothing else was retained");
        }
    }

    @Test
    void retainHandlingOneSendsOnlyForANewSubscriptionAndTwoNever_MQTT_3_3_1_10_11() throws Exception {
        try (Client publisher = new Client("rp2"); Client subscriber = new Client("rs2")) {
            publisher.publish("handling/x", "kept", true);
            subscriber.subscribe("handling/#", 1, false);
            assertEquals(new Received("handling/x", "kept", true), subscriber.next()); // [MQTT-3.3.1-10]
            subscriber.subscribe("handling/#", 1, false); // exists already: nothing [MQTT-3.3.1-10]
            subscriber.subscribe("handling/+", 2, false); // never [MQTT-3.3.1-11]
            publisher.publish("other", "marker", false);
            publisher.publish("handling/y", "live", false);
            Received first = subscriber.next();
            assertEquals("handling/y", first.topic(), "no retained message before the live one: " + first);
            assertFalse(first.retained());
        }
    }

    @Test
    void retainAsPublishedKeepsTheFlagOnLiveMessagesOtherwiseItIsCleared_MQTT_3_3_1_12_13() throws Exception {
        try (Client publisher = new Client("rp3"); Client keeps = new Client("rs3a"); Client clears = new Client("rs3b")) {
            keeps.subscribe("rap/#", 2, true);
            clears.subscribe("rap/#", 2, false);
            publisher.publish("rap/t", "v", true);
            assertEquals(new Received("rap/t", "v", true), keeps.next()); // [MQTT-3.3.1-13]
            assertEquals(new Received("rap/t", "v", false), clears.next()); // [MQTT-3.3.1-12]
        }
    }

    @Test
    void v3RetainedOnSubscribeHaveRetainSetLiveOnesCleared_MQTT_3_1_1_3_3_1_8_9() throws Exception {
        try (Client publisher = new Client("rp4")) {
            publisher.publish("v3/t", "before", true);
            MqttClient subscriber = new MqttClient(broker.uri(), "rs4", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            subscriber.connect(options);
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            subscriber.subscribe("v3/#", 1, (topic, message) -> received.add(
                new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained())));
            assertEquals(new Received("v3/t", "before", true), received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            publisher.publish("v3/t", "after", true);
            assertEquals(new Received("v3/t", "after", false), received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void sysTopicsArePublishedRetainedAndFirstLevelWildcardsDoNotMatchThem_MQTT_4_7_2_1() throws Exception {
        try (Client everything = new Client("rs6a"); Client sys = new Client("rs6b")) {
            everything.subscribe("#", 0, false);
            everything.subscribe("+/broker/uptime", 0, false);
            sys.subscribe("$SYS/broker/#", 0, false);
            Set<String> expected = Set.of("$SYS/broker/clients/connected", "$SYS/broker/messages/received",
                "$SYS/broker/messages/sent", "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count",
                "$SYS/broker/uptime", "$SYS/broker/version");
            Set<String> seen = new TreeSet<>();
            int uptimes = 0;
            while (!seen.containsAll(expected) || uptimes < 2) { // retained on subscribe, then a live round
                Received next = sys.next();
                seen.add(next.topic());
                uptimes += next.topic().equals("$SYS/broker/uptime") ? 1 : 0;
            }
            everything.publish("marker", "m", false);
            for (Received next = everything.next(); !next.topic().equals("marker"); next = everything.next()) {
                assertFalse(next.topic().startsWith("$"), "matched by a first-level wildcard: " + next);
            }
        }
    }

    @Test
    void connAckSaysRetainIsAvailable() throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker.uri(), "rs5",
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        var token = client.connect(new MqttConnectionOptions());
        token.waitForCompletion();
        assertTrue(token.getResponseProperties().isRetainAvailable());
        client.disconnect().waitForCompletion();
        client.close();
    }
}
