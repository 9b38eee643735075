package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.lightqueue.it.FreePorts;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/**
 * The plugin's instruments come out of the broker's own Prometheus endpoint
 * ({@code metricsExporterType=PROM}), next to the broker's, as an operator scrapes them: seven
 * QoS 1 messages to a subscriber and one too large for another client's Maximum Packet Size.
 */
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 7;
    private static final int BIG = 200;

    @Test
    void connectionsAndPublishesAreScrapedFromTheBrokersPrometheusEndpoint() throws Exception {
        int promPort = FreePorts.one();
        try (LocalCluster cluster = TestBrokers.newCluster("metrics",
            Map.of("metricsExporterType", "PROM", "metricsPromExporterPort", String.valueOf(promPort)))) {
            cluster.start();
            List<MqttClient> clients = new ArrayList<>();
            try {
                clients.add(MqttClients.connect(cluster, "metrics-publisher"));
                clients.add(MqttClients.connect(cluster, "metrics-subscriber"));
                MqttConnectionOptions smallPackets = new MqttConnectionOptions();
                smallPackets.setMaximumPacketSize(100L);
                clients.add(MqttClients.connect(cluster, "metrics-small-packets", smallPackets, null));
                CountDownLatch delivered = new CountDownLatch(MESSAGES);
                clients.get(1).subscribe(new MqttSubscription[] {new MqttSubscription("metrics/#", 1)},
                    new IMqttMessageListener[] {(topic, message) -> delivered.countDown()});
                clients.get(2).subscribe(new MqttSubscription[] {new MqttSubscription("metricsbig/#", 1)},
                    new IMqttMessageListener[] {(topic, message) -> { }});
                for (int i = 0; i < MESSAGES; i++) {
                    clients.get(0).publish("metrics/line/" + i, MqttClients.qos1("reading " + i)); // waits for PUBACK
                }
                clients.get(0).publish("metricsbig/x", MqttClients.qos1("x".repeat(BIG))); // over 100 bytes
                assertTrue(delivered.await(WAIT.toSeconds(), TimeUnit.SECONDS), cluster.diagnostics());

                Scrape scrape = new Scrape(promPort);
                String text = scrape.await(page -> value(page, "rocketmq_mqtt_messages_out_total", "qos=\"1\"")
                    .orElse(-1) == MESSAGES
                    && value(page, "rocketmq_mqtt_messages_dropped_total", "reason=\"too_large\"").orElse(-1) == 1);
                assertEquals(3, value(text, "rocketmq_mqtt_connections", "protocol_version=\"5.0\"").orElseThrow(),
                    text);
                assertEquals(MESSAGES + 1, value(text, "rocketmq_mqtt_messages_in_total", "qos=\"1\"").orElseThrow(),
                    text);
                assertEquals(0, value(text, "rocketmq_mqtt_messages_in_total", "qos=\"0\"").orElseThrow(), text);
                assertEquals(3, value(text, "rocketmq_mqtt_connacks_total", "reason_code=\"0x00\"").orElseThrow(), text);
                assertEquals(3, value(text, "rocketmq_mqtt_sessions", "").orElseThrow(), text);
                assertEquals(2, value(text, "rocketmq_mqtt_subscriptions", "").orElseThrow(), text);
                assertEquals(0, value(text, "rocketmq_mqtt_messages_dropped_total", "reason=\"not_convertible\"")
                    .orElseThrow(), text);
                assertEquals(MESSAGES * "reading 0".length() + BIG,
                    value(text, "rocketmq_mqtt_throughput_in_total", "").orElseThrow(), text);
                assertTrue(text.contains("rocketmq_mqtt_connections{cluster=\"DefaultCluster\""),
                    "the broker's labels on our instruments\n" + text);

                MqttClients.closeQuietly(clients.remove(2));
                scrape.await(page -> value(page, "rocketmq_mqtt_connections", "protocol_version=\"5.0\"")
                    .orElse(-1) == 2);
            } finally {
                clients.forEach(MqttClients::closeQuietly);
            }
        }
    }

    /** The value of the first sample of {@code metric} whose labels contain {@code label}. */
    private static OptionalLong value(String page, String metric, String label) {
        for (String line : page.split("\n")) {
            if ((line.startsWith(metric + "{") || line.startsWith(metric + " ")) && line.contains(label)) {
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
                HttpResponse.BodyHandlers.ofString());
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
