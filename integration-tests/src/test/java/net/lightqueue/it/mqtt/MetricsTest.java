package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.FreePorts;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/**
 * The plugin's instruments come out of the broker's own Prometheus endpoint
 * ({@code metricsExporterType=PROM}), next to the broker's, as an operator scrapes them, checked
 * against a known workload: seven QoS 1 messages to a subscriber and one too large for another
 * client's Maximum Packet Size, clients over TCP and WebSocket, a refused CONNECT, publishes
 * refused for their topic and their payload, a message that expires for an offline session, and
 * deliveries held unacknowledged.
 */
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 7;
    private static final int BIG = 200;
    private static final int HELD = 2;
    private static final String TCP = "listener=\"tcp\"";
    private static final String WS = "listener=\"ws\"";
    private static final String V5 = "protocol_version=\"5.0\"";

    @Test
    void connectionsAndPublishesAreScrapedFromTheBrokersPrometheusEndpoint() throws Exception {
        int promPort = FreePorts.one();
        int wsPort = FreePorts.one();
        try (LocalCluster cluster = TestBrokers.newCluster("metrics", Map.of("metricsExporterType", "PROM",
            "metricsPromExporterPort", String.valueOf(promPort), "mqttWsPort", String.valueOf(wsPort)))) {
            cluster.start();
            Scrape scrape = new Scrape(promPort);
            List<MqttClient> clients = new ArrayList<>();
            try {
                clients.add(MqttClients.connect(cluster, "metrics-publisher"));
                clients.add(MqttClients.connect(cluster, "metrics-subscriber"));
                MqttConnectionOptions smallPackets = new MqttConnectionOptions();
                smallPackets.setMaximumPacketSize(100L);
                clients.add(MqttClients.connect(cluster, "metrics-small-packets", smallPackets, null));
                clients.add(connectOverWebSocket(wsPort, "metrics-ws"));
                publishAndDeliver(cluster, scrape, clients);
                refuse(cluster, scrape, clients.get(0));
                expireForAnOfflineSession(cluster, scrape, clients.get(0));
                holdAcknowledgements(cluster, scrape, clients.get(0));

                // Deliveries from the queues, first sends only: 7 + the unexpired one + the held ones.
                String text = scrape.await(page -> value(page, "rocketmq_mqtt_delivery_latency_ms_count")
                    .orElse(-1) == MESSAGES + 1 + HELD);
                assertTrue(value(text, "rocketmq_mqtt_dispatch_lag_bytes").orElseThrow() >= 0, text);
                assertTrue(value(text, "rocketmq_mqtt_dispatch_lag_ms").orElseThrow() >= 0, text);
                assertTrue(value(text, "rocketmq_mqtt_light_queues").orElseThrow() >= 4,
                    "metrics/#, metricsbig/#, metricsexp/# and metricsheld/# were appended to\n" + text);
                assertTrue(value(text, "rocketmq_mqtt_index_disk_bytes").orElseThrow() >= 0, text);

                MqttClients.closeQuietly(clients.remove(2));
                scrape.await(page -> value(page, "rocketmq_mqtt_connections", TCP, V5).orElse(-1) == 2);
            } finally {
                clients.forEach(MqttClients::closeQuietly);
            }
        }
    }

    private static void publishAndDeliver(LocalCluster cluster, Scrape scrape, List<MqttClient> clients) throws Exception {
        CountDownLatch delivered = new CountDownLatch(MESSAGES);
        clients.get(1).subscribe(new MqttSubscription[] {new MqttSubscription("metrics/#", 1)},
            new IMqttMessageListener[] {(topic, message) -> delivered.countDown()});
        clients.get(2).subscribe(new MqttSubscription[] {new MqttSubscription("metricsbig/#", 1)},
            new IMqttMessageListener[] {(topic, message) -> { }});
        clients.get(3).subscribe(new MqttSubscription[] {new MqttSubscription("$share/metricsgroup/metricsshared/#", 1)},
            new IMqttMessageListener[] {(topic, message) -> { }});
        for (int i = 0; i < MESSAGES; i++) {
            clients.get(0).publish("metrics/line/" + i, MqttClients.qos1("reading " + i)); // waits for PUBACK
        }
        clients.get(0).publish("metricsbig/x", MqttClients.qos1("x".repeat(BIG))); // over 100 bytes
        assertTrue(delivered.await(WAIT.toSeconds(), TimeUnit.SECONDS), cluster.diagnostics());

        String text = scrape.await(page -> value(page, "rocketmq_mqtt_messages_out_total", "qos=\"1\"").orElse(-1) == MESSAGES
            && value(page, "rocketmq_mqtt_messages_dropped_total", "reason=\"too_large\"").orElse(-1) == 1);
        assertEquals(3, value(text, "rocketmq_mqtt_connections", TCP, V5).orElseThrow(), text);
        assertEquals(1, value(text, "rocketmq_mqtt_connections", WS, V5).orElseThrow(), text);
        assertEquals(0, value(text, "rocketmq_mqtt_connections", TCP, "protocol_version=\"3.1.1\"").orElseThrow(), text);
        assertEquals(MESSAGES + 1, value(text, "rocketmq_mqtt_messages_in_total", "qos=\"1\"").orElseThrow(), text);
        assertEquals(0, value(text, "rocketmq_mqtt_messages_in_total", "qos=\"0\"").orElseThrow(), text);
        assertEquals(4, value(text, "rocketmq_mqtt_connacks_total", "reason_code=\"0x00\"").orElseThrow(), text);
        assertEquals(4, value(text, "rocketmq_mqtt_sessions", "state=\"connected\"").orElseThrow(), text);
        assertEquals(0, value(text, "rocketmq_mqtt_sessions", "state=\"offline\"").orElseThrow(), text);
        assertEquals(3, value(text, "rocketmq_mqtt_subscriptions").orElseThrow(), text);
        assertEquals(1, value(text, "rocketmq_mqtt_shared_groups").orElseThrow(), text);
        assertEquals(0, value(text, "rocketmq_mqtt_messages_dropped_total", "reason=\"not_convertible\"").orElseThrow(), text);
        assertEquals(MESSAGES * "reading 0".length() + BIG, value(text, "rocketmq_mqtt_throughput_in_total").orElseThrow(), text);
        assertTrue(text.contains("rocketmq_mqtt_connections{cluster=\"DefaultCluster\""),
            "the broker's labels on our instruments\n" + text);
    }

    /**
     * A CONNECT of an unknown protocol level is refused with return code 0x01 [MQTT-3.1.2-2]; a
     * publish to {@code $SYS} is refused for its topic, one whose payload is not the UTF-8 it
     * declares for its payload [MQTT-3.3.2-4]; none counts as an ACL denial. A PUBLISH larger than
     * mqttMaxPacketSize (1 MiB here) is refused from its fixed header on, and a 3.1.1 client is
     * disconnected for it.
     */
    private static void refuse(LocalCluster cluster, Scrape scrape, MqttClient publisher) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", cluster.master().mqttPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 6, 0x02, 0, 60, 0, 1, 'r'});
            out.flush();
            InputStream in = socket.getInputStream();
            assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x01}, in.readNBytes(4), "CONNACK refusing protocol level 6");
        }
        try (Socket socket = new Socket("127.0.0.1", cluster.master().mqttPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 3, 'b', 'i', 'g'});
            out.flush();
            InputStream in = socket.getInputStream();
            assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, in.readNBytes(4), "CONNACK accepting the client");
            out.write(new byte[] {0x32, (byte) 0x80, (byte) 0x89, 0x7A}); // PUBLISH QoS 1 of 2,000,000 bytes, header only
            out.flush();
            assertEquals(-1, in.read(), "a 3.1.1 client is disconnected for an oversize packet");
        }
        publishRefused(publisher, "$SYS/metrics", MqttClients.qos1("not ours"));
        MqttMessage notUtf8 = new MqttMessage(new byte[] {(byte) 0xC3, (byte) 0x28});
        notUtf8.setQos(1);
        MqttProperties declaredUtf8 = new MqttProperties();
        declaredUtf8.setPayloadFormat(true);
        notUtf8.setProperties(declaredUtf8);
        publishRefused(publisher, "metrics/text", notUtf8);

        String text = scrape.await(page -> value(page, "rocketmq_mqtt_connacks_total", "reason_code=\"0x01\"").orElse(-1) == 1
            && value(page, "rocketmq_mqtt_messages_dropped_total", "reason=\"topic_refused\"").orElse(-1) == 1
            && value(page, "rocketmq_mqtt_messages_dropped_total", "reason=\"malformed\"").orElse(-1) == 1
            && value(page, "rocketmq_mqtt_messages_dropped_total", "reason=\"packet_too_large\"").orElse(-1) == 1);
        assertEquals(0, value(text, "rocketmq_mqtt_messages_dropped_total", "reason=\"acl_denied\"").orElseThrow(), text);
        assertEquals(5, value(text, "rocketmq_mqtt_connacks_total", "reason_code=\"0x00\"").orElseThrow(), text);
    }

    /**
     * A message whose Message Expiry Interval passes while its subscriber's session is offline is
     * not sent when the client returns [MQTT-3.3.2-5], and is counted as expired; the message
     * published after it, without expiry, arrives.
     */
    private static void expireForAnOfflineSession(LocalCluster cluster, Scrape scrape, MqttClient publisher)
        throws Exception {
        MqttClient offline = MqttClients.connect(cluster, "metrics-offline", MqttClients.persistentSession(300), null);
        offline.subscribe("metricsexp/#", 1);
        offline.disconnect(WAIT.toMillis());
        offline.close(true);
        scrape.await(page -> value(page, "rocketmq_mqtt_sessions", "state=\"offline\"").orElse(-1) == 1);

        MqttMessage expiring = MqttClients.qos1("expires in 1 s");
        MqttProperties expiry = new MqttProperties();
        expiry.setMessageExpiryInterval(1L);
        expiring.setProperties(expiry);
        publisher.publish("metricsexp/old", expiring);
        publisher.publish("metricsexp/new", MqttClients.qos1("no expiry"));
        Thread.sleep(2_000); // the message's own expiry interval has to pass: what is tested, not a wait for the broker

        Arrivals arrivals = new Arrivals();
        MqttClient back = MqttClients.connect(cluster, "metrics-offline", MqttClients.persistentSession(0), arrivals);
        try {
            assertEquals(List.of("metricsexp/new"),
                arrivals.await(1, WAIT).stream().map(Arrivals.Arrival::topic).toList(), cluster.diagnostics());
            scrape.await(page -> value(page, "rocketmq_mqtt_messages_dropped_total", "reason=\"expired\"").orElse(-1) == 1);
        } finally {
            MqttClients.closeQuietly(back);
        }
    }

    /** QoS 1 deliveries whose PUBACK the client holds are in flight until it sends them. */
    private static void holdAcknowledgements(LocalCluster cluster, Scrape scrape, MqttClient publisher) throws Exception {
        MqttClient client = MqttClients.connect(cluster, "metrics-held");
        try {
            HeldAcks held = new HeldAcks(client);
            client.subscribe("metricsheld/#", 1);
            for (int i = 0; i < HELD; i++) {
                publisher.publish("metricsheld/" + i, MqttClients.qos1("held " + i));
            }
            assertEquals(HELD, held.await(HELD, WAIT).size(), cluster.diagnostics());
            scrape.await(page -> value(page, "rocketmq_mqtt_inflight_messages").orElse(-1) == HELD);

            held.release();
            scrape.await(page -> value(page, "rocketmq_mqtt_inflight_messages").orElse(-1) == 0);
        } finally {
            MqttClients.closeQuietly(client);
        }
    }

    /** Publishes what the broker refuses with a PUBACK reason code, which Paho may report as an exception. */
    private static void publishRefused(MqttClient publisher, String topic, MqttMessage message) {
        try {
            publisher.publish(topic, message);
        } catch (MqttException refused) {
            assertTrue(refused.getReasonCode() >= 0x80, refused.toString());
        }
        assertTrue(publisher.isConnected(), "a v5 client refused a QoS 1 publish stays connected");
    }

    private static MqttClient connectOverWebSocket(int wsPort, String clientId) throws MqttException {
        MqttClient client = new MqttClient("ws://127.0.0.1:" + wsPort + "/mqtt", clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(30);
        client.connect(options);
        return client;
    }

    /** The value of the first sample of {@code metric} whose labels contain each of {@code labels}. */
    private static OptionalLong value(String page, String metric, String... labels) {
        for (String line : page.split("\n")) {
            if ((line.startsWith(metric + "{") || line.startsWith(metric + " "))
                && List.of(labels).stream().allMatch(line::contains)) {
                String number = line.substring(line.lastIndexOf(' ') + 1);
                return OptionalLong.of((long) Double.parseDouble(number));
            }
        }
        return OptionalLong.empty();
    }

    /** The broker's Prometheus endpoint. */
    private record Scrape(int port) {

        String get() throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        }

        /** Scrapes until {@code condition} holds, and returns that page. */
        String await(Predicate<String> condition) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            String page = get();
            while (!condition.test(page)) {
                assertTrue(System.nanoTime() < deadline, "condition not met by the last scrape:\n" + page);
                Thread.sleep(200);
                page = get();
            }
            return page;
        }
    }
}
