package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.PublicationTopic;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.event.ClientSendGuard;
import net.lightqueue.dispatch.event.EventCodec;
import net.lightqueue.dispatch.event.EventTopic;
import net.lightqueue.dispatch.event.FilterEvent;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT topics and RocketMQ topics with real clients on both sides (Paho v3 and v5, a RocketMQ
 * producer and consumer through an in-process name server): every valid MQTT topic name can be
 * published, RocketMQ clients find it under its mapped name, RocketMQ's reserved topics and the
 * plugin's own state stay out of every client's reach.
 */
class RocketMqTopicsTest {

    private static final long WAIT_SECONDS = 30;

    /** Valid MQTT topic names whose first level is no RocketMQ topic name as it is, and one that is. */
    private static final List<String> TOPICS = List.of("home/kitchen", "/TopicA", "/t/t1/t2",
        "spBv1.0/group/NBIRTH/node", "$aws/things/x", "$TopicA/B", "sensor.v2/x", "温度/x", "L".repeat(200) + "/x");

    @TempDir
    static Path store;
    static NamesrvController namesrv;
    static MqttBroker broker;
    static DefaultMQProducer producer;

    @BeforeAll
    static void start() throws Exception {
        NamesrvConfig config = new NamesrvConfig();
        config.setKvConfigPath(store.resolve("namesrv").resolve("kvConfig.json").toString());
        config.setConfigStorePath(store.resolve("namesrv").resolve("namesrv.properties").toString());
        NettyServerConfig server = new NettyServerConfig();
        server.setBindAddress("127.0.0.1");
        server.setListenPort(0);
        namesrv = new NamesrvController(config, server, new NettyClientConfig());
        namesrv.initialize();
        namesrv.start();
        String namesrvAddress = "127.0.0.1:" + namesrv.getRemotingServer().localListenPort();

        broker = MqttBroker.start(store.resolve("broker"));
        controller().getBrokerConfig().setNamesrvAddr(namesrvAddress);
        controller().getBrokerOuterAPI().updateNameServerAddressList(namesrvAddress);
        controller().registerBrokerAll(true, false, true);

        producer = new DefaultMQProducer("topics-test-producer");
        producer.setNamesrvAddr(namesrvAddress);
        producer.start();
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.shutdown();
        }
        if (broker != null) {
            broker.close();
        }
        if (namesrv != null) {
            namesrv.shutdown();
        }
    }

    static BrokerController controller() {
        return broker.broker().controller();
    }

    static LightQueueDispatcher queues() {
        return broker.queues();
    }

    @Test
    void everyValidTopicNameIsPublishedAndDeliveredToV3AndV5Clients_MQTT_4_7_3_1_and_MQTT_4_7_2_1() throws Exception {
        V3Client v3Subscriber = new V3Client("names-v3-sub");
        V5Client v5Subscriber = new V5Client("names-v5-sub");
        V5Client everything = new V5Client("names-all-sub");
        for (String topic : TOPICS) {
            v3Subscriber.client.subscribe(topic, 1);
            v5Subscriber.client.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)});
        }
        everything.client.subscribe(new MqttSubscription[] {new MqttSubscription("#", 1)});

        V3Client v3Publisher = new V3Client("names-v3-pub");
        V5Client v5Publisher = new V5Client("names-v5-pub");
        List<String> expected = new ArrayList<>();
        List<String> expectedByHash = new ArrayList<>();
        for (String topic : TOPICS) {
            v3Publisher.client.publish(topic, ("v3 " + topic).getBytes(StandardCharsets.UTF_8), 1, false);
            v5Publisher.client.publish(topic, ("v5 " + topic).getBytes(StandardCharsets.UTF_8), 1, true);
            expected.add(topic + " | v3 " + topic);
            expected.add(topic + " | v5 " + topic);
            if (!topic.startsWith("$")) {
                // A wildcard first level never matches a topic beginning with '$' [MQTT-4.7.2-1].
                expectedByHash.add(topic + " | v3 " + topic);
                expectedByHash.add(topic + " | v5 " + topic);
            }
        }
        assertEquals(sorted(expected), sorted(v3Subscriber.take(expected.size())));
        assertEquals(sorted(expected), sorted(v5Subscriber.take(expected.size())));
        assertEquals(sorted(expectedByHash), sorted(everything.take(expectedByHash.size())));

        // Each is the retained message of its topic for a new subscriber [MQTT-3.3.1-6].
        V3Client late = new V3Client("names-late-sub");
        for (String topic : TOPICS) {
            late.client.subscribe(topic, 1);
        }
        assertEquals(sorted(TOPICS.stream().map(topic -> topic + " | v5 " + topic).toList()), sorted(late.take(TOPICS.size())));
        assertTrue(late.allRetained);

        awaitIndexed();
        assertNull(v3Subscriber.received.poll(), "each message once");
        assertNull(v5Subscriber.received.poll(), "each message once");
        assertNull(everything.received.poll(), "each message once");
        for (V3Client client : List.of(v3Subscriber, v3Publisher, late)) {
            client.close();
        }
        for (V5Client client : List.of(v5Subscriber, v5Publisher, everything)) {
            client.close();
        }
    }

    @Test
    void willsGoToAnyValidTopic_MQTT_3_1_2_8() throws Exception {
        V5Client watcher = new V5Client("will-watcher");
        for (String topic : TOPICS) {
            watcher.client.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)});
        }
        List<String> expected = new ArrayList<>();
        for (String topic : TOPICS) {
            org.eclipse.paho.client.mqttv3.MqttClient dying = new org.eclipse.paho.client.mqttv3.MqttClient(
                broker.uri(), "will-" + Integer.toHexString(topic.hashCode()), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setWill(topic, ("gone " + topic).getBytes(StandardCharsets.UTF_8), 1, false);
            dying.connect(options);
            // Without a DISCONNECT packet: the server must publish the will.
            dying.disconnectForcibly(0, 0, false);
            dying.close();
            expected.add(topic + " | gone " + topic);
        }
        assertEquals(sorted(expected), sorted(watcher.take(expected.size())));
        watcher.close();
    }

    @Test
    void aRocketMqConsumerFindsMqttPublishesUnderTheMappedTopicWithTheirMqttTopic() throws Exception {
        Map<String, String> published = new HashMap<>();
        V5Client publisher = new V5Client("consumer-pub");
        for (String topic : List.of("spBv1.0/group/NDATA/node", "温度/x", "/TopicA", "$aws/things/y")) {
            String body = "for consumers " + topic;
            publisher.client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
            published.put(body, topic);
        }
        publisher.close();
        assertEquals("spBv1%2E0", RocketTopicNames.ofTopic("spBv1.0/group/NDATA/node"));

        controller().registerBrokerAll(true, false, true);
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("topics-test-consumer");
        consumer.setNamesrvAddr(producer.getNamesrvAddr());
        consumer.start();
        Map<String, MessageExt> received = new HashMap<>();
        try {
            List<MessageQueue> assigned = new ArrayList<>();
            for (String rocketmqTopic : List.of("spBv1%2E0", "%E6%B8%A9%E5%BA%A6", "%2F", "%24aws")) {
                Collection<MessageQueue> queues = consumer.fetchMessageQueues(rocketmqTopic);
                assertFalse(queues.isEmpty(), rocketmqTopic);
                assigned.addAll(queues);
            }
            consumer.assign(assigned);
            for (MessageQueue queue : assigned) {
                consumer.seekToBegin(queue);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
            while (!received.keySet().containsAll(published.keySet()) && System.nanoTime() < deadline) {
                for (MessageExt message : consumer.poll(1000)) {
                    String body = new String(message.getBody(), StandardCharsets.UTF_8);
                    if (published.containsKey(body)) {
                        assertNull(received.put(body, message), "once: " + body);
                    }
                }
            }
        } finally {
            consumer.shutdown();
        }
        assertEquals(published.keySet(), received.keySet());
        for (Map.Entry<String, MessageExt> entry : received.entrySet()) {
            String mqttTopic = published.get(entry.getKey());
            assertEquals(mqttTopic, entry.getValue().getUserProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC));
            assertEquals(RocketTopicNames.ofTopic(mqttTopic), entry.getValue().getTopic());
        }
    }

    @Test
    void topicsThatPublishesCreateAreSavedAndRoutedByTheNameServer() throws Exception {
        List<String> firstLevels = new ArrayList<>();
        V5Client publisher = new V5Client("many-devices");
        for (int i = 0; i < 40; i++) {
            String device = "device-" + i;
            publisher.client.publish(device + "/telemetry", "t".getBytes(StandardCharsets.UTF_8), 1, false);
            firstLevels.add(device);
        }
        publisher.close();

        // Saved and registered together, after the publishes: without a registerBrokerAll here.
        Path topicsFile = Path.of(controller().getTopicConfigManager().configFilePath());
        MQClientAPIImpl nameServer = producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
        long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
        List<String> missing = new ArrayList<>(firstLevels);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            String saved = Files.exists(topicsFile) ? Files.readString(topicsFile) : "";
            missing.removeIf(topic -> saved.contains("\"" + topic + "\"") && routed(nameServer, topic));
            Thread.sleep(50);
        }
        assertEquals(List.of(), missing, "topics not in " + topicsFile + " or not routed by the name server");
    }

    private static boolean routed(MQClientAPIImpl nameServer, String topic) {
        try {
            return !nameServer.getTopicRouteInfoFromNameServer(topic, 3000).getQueueDatas().isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    @Test
    void aRocketMqProducerReachesMqttSubscribersOfTheFirstLevelItsTopicNames() throws Exception {
        for (String rocketmqTopic : List.of("spBv1%2E0", "%24aws", "%E6%B8%A9%E5%BA%A6")) {
            createTopic(rocketmqTopic);
        }
        V5Client subscriber = new V5Client("native-sub");
        subscriber.client.subscribe(new MqttSubscription[] {newMessagesOf("spBv1.0/#"), newMessagesOf("$aws/#"),
            newMessagesOf("温度")});
        V5Client everything = new V5Client("native-all-sub");
        everything.client.subscribe(new MqttSubscription[] {newMessagesOf("#")});

        send(new Message("spBv1%2E0", bytes("native sp")));
        send(new Message("%24aws", bytes("native aws")));
        send(new Message("%E6%B8%A9%E5%BA%A6", bytes("native temp")));

        assertEquals(List.of("$aws | native aws", "spBv1.0 | native sp", "温度 | native temp"), sorted(subscriber.take(3)));
        // '#' matches what the producer sent to spBv1%2E0 and 温度, not the '$aws' topic [MQTT-4.7.2-1].
        assertEquals(List.of("spBv1.0 | native sp", "温度 | native temp"), sorted(everything.take(2)));
        awaitIndexed();
        assertFalse(bodies(queues().read("#", 0, 1000).messages()).contains("native aws"));
        assertNull(subscriber.received.poll());
        subscriber.close();
        everything.close();
    }

    @Test
    void aRocketMqProducerStaysWithinItsOwnTopic() throws Exception {
        createTopic("ownA");
        createTopic("%24SYS");
        V5Client own = new V5Client("own-sub");
        own.client.subscribe(new MqttSubscription[] {newMessagesOf("ownA/#")});
        V5Client victim = new V5Client("victim-sub");
        victim.client.subscribe(new MqttSubscription[] {newMessagesOf("victim/#")});
        V5Client statusWatcher = new V5Client("own-status-sub");
        statusWatcher.client.subscribe(new MqttSubscription[] {new MqttSubscription("$SYS/#", 0)});

        send(withProperties(new Message("ownA", bytes("escape")), "victim/x", true));
        send(withProperties(new Message("ownA", bytes("inside")), "ownA/inside", false));
        send(withProperties(new Message("ownA", bytes("status")), "$SYS/broker/fake", false));
        send(new Message("%24SYS", bytes("plain status")));

        // Under its own topic, whatever it names elsewhere.
        assertEquals(List.of("ownA | escape", "ownA | status", "ownA/inside | inside"), sorted(own.take(3)));
        awaitIndexed();
        V5Client marker = new V5Client("victim-marker");
        marker.client.publish("victim/marker", bytes("marker"), 1, false);
        assertEquals("victim/marker | marker", victim.take(1).get(0), "nothing reached victim/# before the marker");
        assertTrue(queues().retained("victim/x").isEmpty());
        assertEquals(List.of("escape"), bodies(queues().retained("ownA")));
        List<String> status = bodies(queues().read("$SYS/#", 0, 10_000).messages());
        assertFalse(status.contains("status") || status.contains("plain status"), status.toString());
        assertNull(own.received.poll());
        for (V5Client client : List.of(own, victim, marker, statusWatcher)) {
            client.close();
        }
    }

    @Test
    void reservedTopicsAreRefusedWhetherOrNotTheyExist() throws Exception {
        String cluster = controller().getBrokerConfig().getBrokerClusterName();
        String brokerName = controller().getBrokerConfig().getBrokerName();
        List<String> reserved = List.of(EventTopic.NAME + "/x", PublicationTopic.NAME, "rmq_sys_anything/x",
            "SCHEDULE_TOPIC_XXXX/x", "RMQ_SYS_TRANS_HALF_TOPIC/x", "RMQ_SYS_NEW/x", "TBW102", "SELF_TEST_TOPIC/a",
            "rmq_sys_.x/y", cluster + "/x", brokerName, "$SYS/broker/clients/connected");
        try (RawClient client = new RawClient(broker.port())) {
            Packets.assertConnAck(client.connected(MqttVersion.MQTT_5, "reserved-v5"), 0);
            int packetId = 1;
            for (String topic : reserved) {
                client.send(Packets.publish(topic, 1, packetId, "x"));
                Packets.assertReply(client.read(), MqttMessageType.PUBACK, packetId, 0x87);
                client.send(Packets.publish(topic, 2, packetId + 1, "x"));
                Packets.assertReply(client.read(), MqttMessageType.PUBREC, packetId + 1, 0x87);
                packetId += 2;
            }
            // The connection stays usable, and a refused name was not created.
            client.send(Packets.publish("reserved-ok/x", 1, packetId, "x"));
            Packets.assertReply(client.read(), MqttMessageType.PUBACK, packetId, 0);
            assertNull(controller().getTopicConfigManager().selectTopicConfig("RMQ_SYS_NEW"));

            client.send(MqttMessageBuilders.subscribe().messageId(7)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, EventTopic.NAME + "/#")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "SCHEDULE_TOPIC_XXXX")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "+/x").build());
            MqttSubAckMessage subAck = (MqttSubAckMessage) client.read();
            assertEquals(List.of(0x87, 0x87, 0x01), subAck.payload().reasonCodes());
        }
        // A will to a reserved topic is refused at CONNECT: 0x87 Not authorized, 0x05 in 3.1.1.
        for (MqttVersion version : List.of(MqttVersion.MQTT_5, MqttVersion.MQTT_3_1_1)) {
            try (RawClient client = new RawClient(broker.port())) {
                client.send(WillTest.withWill(version, "reserved-will", EventTopic.NAME + "/x"));
                Packets.assertConnAck(client.read(), version == MqttVersion.MQTT_5 ? 0x87 : 0x05);
                client.awaitClose();
            }
        }
    }

    @Test
    void onlyThePluginWritesItsStateTopics() throws Exception {
        createTopic("state-warmup");
        send(new Message("state-warmup", bytes("warmup")));
        String brokerName = controller().getBrokerConfig().getBrokerName();
        byte[] forged = EventCodec.encode(new FilterEvent.Subscribe(1, "forger", "forged/#", new byte[] {1}));
        for (String topic : List.of(EventTopic.NAME, PublicationTopic.NAME)) {
            assertFalse(PermName.isWriteable(controller().getTopicConfigManager().selectTopicConfig(topic).getPerm()), topic);
            MQBrokerException refused = assertThrows(MQBrokerException.class,
                () -> producer.send(new Message(topic, forged), new MessageQueue(topic, brokerName, 0)), topic);
            assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
        }

        // A topic made writable by an earlier version is read-only again after a start.
        TopicConfig writable = new TopicConfig(controller().getTopicConfigManager().selectTopicConfig(EventTopic.NAME));
        writable.setPerm(PermName.PERM_READ | PermName.PERM_WRITE);
        controller().getTopicConfigManager().updateTopicConfig(writable);
        EventTopic.ensureExists(controller().getTopicConfigManager());
        assertFalse(PermName.isWriteable(controller().getTopicConfigManager().selectTopicConfig(EventTopic.NAME).getPerm()));

        // Should a client's message reach the commitlog anyway, the dispatcher does not apply it.
        V5Client status = new V5Client("state-sys-sub");
        status.client.subscribe(new MqttSubscription[] {new MqttSubscription("$SYS/forged", 1)});
        controller().getSendMessageHookList().removeIf(hook -> hook instanceof ClientSendGuard);
        try {
            assertEquals(SendStatus.SEND_OK,
                producer.send(new Message(EventTopic.NAME, forged),
                    new MessageQueue(EventTopic.NAME, brokerName, 0)).getSendStatus());
            assertEquals(SendStatus.SEND_OK, producer.send(withProperties(new Message(PublicationTopic.NAME, bytes("forged")),
                "$SYS/forged", false), new MessageQueue(PublicationTopic.NAME, brokerName, 0)).getSendStatus());
        } finally {
            ClientSendGuard.install(controller(), Set.of(EventTopic.NAME, PublicationTopic.NAME));
        }
        awaitIndexed();
        assertEquals(List.of(), queues().subscriptionsOf("forger"));
        assertEquals(0, queues().maxOffset("$SYS/forged"));
        // The plugin's own events are applied: the subscription above is there.
        assertEquals(1, queues().subscriptionsOf("state-sys-sub").size());
        assertNull(status.received.poll());
        status.close();
    }

    /** A subscription without the retained messages other tests left. */
    private static MqttSubscription newMessagesOf(String filter) {
        MqttSubscription subscription = new MqttSubscription(filter, 1);
        subscription.setRetainHandling(2);
        return subscription;
    }

    /** Creates the topic on the broker and waits until the name server routes it. */
    private static void createTopic(String rocketmqTopic) throws InterruptedException {
        controller().getTopicConfigManager().createTopicIfAbsent(
            new TopicConfig(rocketmqTopic, 4, 4, PermName.PERM_READ | PermName.PERM_WRITE), false);
        controller().registerBrokerAll(true, false, true);
        MQClientAPIImpl nameServer = producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
        long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
        while (true) {
            try {
                nameServer.getTopicRouteInfoFromNameServer(rocketmqTopic, 3000);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the name server does not route " + rocketmqTopic, notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void send(Message message) throws Exception {
        assertEquals(SendStatus.SEND_OK, producer.send(message).getSendStatus());
    }

    private static Message withProperties(Message message, String originMqttTopic, boolean retain) {
        message.putUserProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC, originMqttTopic);
        if (retain) {
            message.putUserProperty(MqttMessageProperties.RETAIN, "true");
        }
        return message;
    }

    /** Waits until the dispatcher has applied everything in the commitlog. */
    private static void awaitIndexed() throws InterruptedException {
        long end = controller().getMessageStore().getMaxPhyOffset();
        long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
        while (queues().indexedUpTo() < end && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(queues().indexedUpTo() >= end, "indexed up to " + queues().indexedUpTo() + " of " + end);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> bodies(List<StoredMessage> messages) {
        return messages.stream().map(message -> new String(message.body(), StandardCharsets.UTF_8)).toList();
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    /** Takes {@code count} arrivals ("topic | payload"), failing if they do not come. */
    private static List<String> take(BlockingQueue<String> received, int count) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        while (taken.size() < count) {
            String next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next, "got only " + taken);
            taken.add(next);
        }
        return taken;
    }

    private static final class V3Client {
        final org.eclipse.paho.client.mqttv3.MqttClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        volatile boolean allRetained = true;

        V3Client(String clientId) throws Exception {
            client = new org.eclipse.paho.client.mqttv3.MqttClient(broker.uri(), clientId, new MemoryPersistence());
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    allRetained &= message.isRetained();
                    received.add(topic + " | " + new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            client.connect(new MqttConnectOptions());
        }

        List<String> take(int count) throws InterruptedException {
            return RocketMqTopicsTest.take(received, count);
        }

        void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    private static final class V5Client extends MessageCallback {
        final MqttClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        V5Client(String clientId) throws Exception {
            client = new MqttClient(broker.uri(), clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic + " | " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        List<String> take(int count) throws InterruptedException {
            return RocketMqTopicsTest.take(received, count);
        }

        void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
