package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.MqttMessageProperties;
import org.apache.rocketmq.common.message.MessageExt;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Conformance with real clients (Eclipse Paho for MQTT 3.1.1 and 5.0), against one in-process broker. */
class PahoConformanceTest {

    private static final long WAIT_SECONDS = 20;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    /** A v5 client that records what it receives and how it was disconnected. */
    static final class V5Client extends MessageCallback {
        final MqttAsyncClient client;
        final BlockingQueue<Received> received = new ArrayBlockingQueue<>(1000);
        final CompletableFuture<Integer> disconnectReason = new CompletableFuture<>();
        IMqttToken connectToken;

        record Received(String topic, MqttMessage message) {
        }

        V5Client(String clientId) throws MqttException {
            client = new MqttAsyncClient(broker.uri(), clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setAutomaticReconnect(false);
            connectToken = client.connect(options);
            connectToken.waitForCompletion();
        }

        void subscribe(MqttSubscription... subscriptions) throws MqttException {
            client.subscribe(subscriptions).waitForCompletion();
        }

        void publish(String topic, String payload, int qos) throws MqttException {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false).waitForCompletion();
        }

        void disconnect() throws MqttException {
            client.disconnect().waitForCompletion();
        }

        Received next() throws InterruptedException {
            Received next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next, "no message within " + WAIT_SECONDS + " s");
            return next;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnectReason.complete(response.getReturnCode());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, message));
        }
    }

    @Test
    void qos1MessagesOfOneTopicArriveInPublishOrder_MQTT_4_6_0_5() throws Exception {
        MqttClient subscriber = new MqttClient(broker.uri(), "order-sub", new MemoryPersistence());
        subscriber.connect(new MqttConnectOptions());
        BlockingQueue<String> received = new ArrayBlockingQueue<>(500);
        subscriber.subscribe("order/#", 1,
            (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        MqttClient publisher = new MqttClient(broker.uri(), "order-pub", new MemoryPersistence());
        MqttConnectOptions publisherOptions = new MqttConnectOptions();
        // Paho releases a completed publish's in-flight slot after it wakes the waiting caller, so
        // back-to-back synchronous publishes can trip its own limit of 10 on a busy machine.
        publisherOptions.setMaxInflight(1000);
        publisher.connect(publisherOptions);
        for (int i = 0; i < 200; i++) {
            publisher.publish("order/sensor", Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(Integer.toString(i), received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void deliveredQosIsTheMinimumOfPublishedAndGranted_MQTT_3_8_4_8() throws Exception {
        V5Client subscriber = new V5Client("qos-sub");
        subscriber.subscribe(new MqttSubscription("qos/one", 1), new MqttSubscription("qos/two", 2));
        V5Client publisher = new V5Client("qos-pub");
        publisher.publish("qos/one", "a", 2);
        assertEquals(1, subscriber.next().message().getQos());
        publisher.publish("qos/two", "b", 2);
        assertEquals(2, subscriber.next().message().getQos());
        publisher.publish("qos/two", "c", 0);
        assertEquals(0, subscriber.next().message().getQos());
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void v5PropertiesArePreservedEndToEnd_MQTT_3_3_2_17_and_MQTT_3_3_2_18() throws Exception {
        V5Client subscriber = new V5Client("props-sub");
        subscriber.subscribe(new MqttSubscription("props/+", 1));
        V5Client publisher = new V5Client("props-pub");
        MqttMessage message = new MqttMessage("{\"t\":21}".getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties properties = new MqttProperties();
        List<UserProperty> userProperties = List.of(new UserProperty("k", "1"), new UserProperty("k", "2"),
            new UserProperty("a=b&c", "100%"), new UserProperty("empty", ""));
        properties.setUserProperties(userProperties);
        properties.setContentType("application/json");
        properties.setResponseTopic("props/reply");
        properties.setCorrelationData(new byte[] {0, 1, 2, (byte) 0xFF});
        properties.setPayloadFormat(true);
        properties.setMessageExpiryInterval(3600L);
        message.setProperties(properties);
        publisher.client.publish("props/json", message).waitForCompletion();

        MqttProperties got = subscriber.next().message().getProperties();
        assertEquals(userProperties, got.getUserProperties());
        assertEquals("application/json", got.getContentType());
        assertEquals("props/reply", got.getResponseTopic());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, got.getCorrelationData());
        assertTrue(got.getPayloadFormat());
        assertTrue(got.getMessageExpiryInterval() > 0 && got.getMessageExpiryInterval() <= 3600L);
        publisher.disconnect();
        subscriber.disconnect();
    }

    /** Empty and blank strings are valid MQTT values [MQTT-1.5.4-1]; RocketMQ refuses blank properties. */
    @Test
    void blankAndEmptyStringPropertiesDoNotStopAPublish() throws Exception {
        V5Client subscriber = new V5Client("blank-sub");
        subscriber.subscribe(new MqttSubscription("blank/+", 1));
        V5Client publisher = new V5Client("blank-pub");
        MqttMessage message = new MqttMessage("x".getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(" ");
        properties.setCorrelationData(new byte[0]);
        properties.setUserProperties(List.of(new UserProperty("", "")));
        message.setProperties(properties);
        publisher.client.publish("blank/a", message).waitForCompletion();
        publisher.publish("blank/b", "after", 1);

        V5Client.Received first = subscriber.next();
        assertEquals("blank/a", first.topic());
        assertEquals(" ", first.message().getProperties().getContentType());
        assertEquals(List.of(new UserProperty("", "")), first.message().getProperties().getUserProperties());
        assertEquals("blank/b", subscriber.next().topic());
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void noLocalSubscriptionDoesNotReceiveOwnPublishes_MQTT_3_8_3_3() throws Exception {
        V5Client client = new V5Client("no-local");
        MqttSubscription own = new MqttSubscription("nolocal/own", 1);
        own.setNoLocal(true);
        client.subscribe(own, new MqttSubscription("nolocal/other", 1));
        client.publish("nolocal/own", "mine", 1);
        client.publish("nolocal/other", "marker", 1);
        V5Client other = new V5Client("no-local-other");
        other.publish("nolocal/own", "theirs", 1);
        List<String> payloads = new ArrayList<>();
        payloads.add(new String(client.next().message().getPayload(), StandardCharsets.UTF_8));
        payloads.add(new String(client.next().message().getPayload(), StandardCharsets.UTF_8));
        assertTrue(payloads.contains("marker") && payloads.contains("theirs"), payloads.toString());
        assertFalse(payloads.contains("mine"));
        other.disconnect();
        client.disconnect();
    }

    @Test
    void subscriptionIdentifierIsSentWithMatchingMessages_MQTT_3_3_4_3() throws Exception {
        V5Client subscriber = new V5Client("subid-sub");
        MqttProperties subscribeProperties = new MqttProperties();
        subscribeProperties.setSubscriptionIdentifier(42);
        subscriber.client.subscribe(new MqttSubscription[] {new MqttSubscription("subid/#", 1)}, null, null, subscribeProperties)
            .waitForCompletion();
        V5Client publisher = new V5Client("subid-pub");
        publisher.publish("subid/x", "x", 1);
        assertEquals(List.of(42), subscriber.next().message().getProperties().getSubscriptionIdentifiers());
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyAtTheHighestQosWithEveryIdentifier_MQTT_3_3_4_2_MQTT_3_3_4_4()
        throws Exception {
        V5Client subscriber = new V5Client("overlap-sub");
        subscribeWithId(subscriber, new MqttSubscription("overlap/a", 0), 1);
        subscribeWithId(subscriber, new MqttSubscription("overlap/#", 1), 2);
        subscribeWithId(subscriber, new MqttSubscription("overlap/+", 2), 3);
        V5Client publisher = new V5Client("overlap-pub");
        publisher.publish("overlap/a", "all three", 2);
        publisher.publish("overlap/b", "two", 1);
        publisher.publish("overlap/a/b", "one", 0);

        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            V5Client.Received received = subscriber.next();
            got.add(received.topic() + " qos " + received.message().getQos() + " ids "
                + received.message().getProperties().getSubscriptionIdentifiers().stream().sorted().toList());
        }
        assertEquals(List.of("overlap/a qos 2 ids [1, 2, 3]", "overlap/b qos 1 ids [2, 3]", "overlap/a/b qos 0 ids [2]"),
            got, "one PUBLISH per message, in order");
        publisher.publish("overlap/c", "marker", 1);
        assertEquals("overlap/c", subscriber.next().topic(), "no second copy came before the marker");
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void orderAcrossTopicsHoldsUnderOverlappingFiltersWithOneCopyEach_MQTT_4_6_0_5() throws Exception {
        MqttClient subscriber = new MqttClient(broker.uri(), "overlap-order-sub", new MemoryPersistence());
        subscriber.connect(new MqttConnectOptions());
        BlockingQueue<String> received = new ArrayBlockingQueue<>(1000);
        // Paho calls a listener for each matching filter it has one for: one listener counts the PUBLISHes.
        subscriber.subscribe("ovord/#", 1, (topic, message) ->
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        subscriber.subscribe(new String[] {"ovord/+", "ovord/a", "+/b"}, new int[] {1, 1, 1});
        V5Client publisher = new V5Client("overlap-order-pub");
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String topic = "ovord/" + "abc".charAt(i % 3);
            publisher.publish(topic, Integer.toString(i), 1);
            published.add(topic + " " + i);
        }
        publisher.publish("ovord/x/y", "marker", 1);
        published.add("ovord/x/y marker");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            String next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next, "got only " + got.size() + " messages");
            got.add(next);
        }
        assertEquals(published, got, "each message once, in publish order");
        publisher.disconnect();
        subscriber.disconnect();
    }

    private static void subscribeWithId(V5Client client, MqttSubscription subscription, int id) throws MqttException {
        MqttProperties properties = new MqttProperties();
        properties.setSubscriptionIdentifier(id);
        client.client.subscribe(new MqttSubscription[] {subscription}, null, null, properties).waitForCompletion();
    }

    @Test
    void connAckAssignsAClientIdAndTellsTheCapabilities_MQTT_3_2_2_16() throws Exception {
        V5Client client = new V5Client("");
        MqttProperties connAck = client.connectToken.getResponseProperties();
        assertNotNull(connAck.getAssignedClientIdentifier());
        assertTrue(connAck.isRetainAvailable());
        assertTrue(connAck.isSharedSubscriptionAvailable());
        assertTrue(connAck.isWildcardSubscriptionsAvailable());
        assertTrue(connAck.isSubscriptionIdentifiersAvailable());
        assertEquals(100, connAck.getReceiveMaximum());
        assertEquals(1024 * 1024, connAck.getMaximumPacketSize());
        assertEquals(16, connAck.getTopicAliasMaximum());
        client.disconnect();
    }

    @Test
    void secondConnectionWithTheSameClientIdTakesOver_MQTT_3_1_4_3() throws Exception {
        V5Client first = new V5Client("same-id");
        V5Client second = new V5Client("same-id");
        assertEquals(0x8E, first.disconnectReason.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(second.client.isConnected());
        second.disconnect();
    }

    @Test
    void unsubscribeReportsFiltersWithoutSubscription_MQTT_3_11_3_1() throws Exception {
        V5Client client = new V5Client("unsub");
        client.subscribe(new MqttSubscription("unsub/a", 1));
        IMqttToken token = client.client.unsubscribe(new String[] {"unsub/a", "unsub/never"});
        token.waitForCompletion();
        assertArrayEquals(new int[] {0x00, 0x11}, token.getReasonCodes());
        client.disconnect();
    }

    @Test
    void rocketmqTopicHoldsThePublishWithItsMqttProperties() throws Exception {
        MqttClient publisher = new MqttClient(broker.uri(), "rocket-pub", new MemoryPersistence());
        publisher.connect(new MqttConnectOptions());
        publisher.publish("plant/line1/temp", "42".getBytes(StandardCharsets.UTF_8), 1, false);
        publisher.disconnect();

        MessageExt stored = StoredMessages.readFirst(broker.broker().controller().getMessageStore(), "plant");
        assertEquals("plant/line1/temp", stored.getProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC));
        assertEquals("plant/line1/temp", stored.getTags());
        assertEquals("1", stored.getProperty(MqttMessageProperties.QOS));
        assertEquals("rocket-pub", stored.getProperty(MqttMessageProperties.CLIENT_ID));
        assertEquals("42", new String(stored.getBody(), StandardCharsets.UTF_8));
    }
}
