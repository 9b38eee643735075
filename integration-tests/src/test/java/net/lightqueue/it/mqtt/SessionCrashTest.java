package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import net.lightqueue.it.dispatch.IndexSnapshot;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * Persistent sessions and wills across a kill -9 of the real broker process: the session
 * state is derived from the commitlog, so what the broker acknowledged survives it.
 */
class SessionCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int OFFLINE_MESSAGES = 300;

    @Test
    void sessionsWillsAndExpirySurviveKillDashNine() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("session-kill9", Map.of())) {
            cluster.start();
            // A persistent subscriber goes offline [MQTT-3.1.2-4, MQTT-3.1.2-5].
            MqttClient subscriber = persistentClient(cluster, "crash-subscriber", new Arrivals());
            subscriber.subscribe("crash/#", 1);
            subscriber.disconnect();
            subscriber.close();

            // A session that will expire while the broker is down [MQTT-3.1.2-23].
            MqttClient expiring = persistentClient(cluster, "crash-expiring", new Arrivals(), 2L);
            expiring.subscribe("crash-expiring/#", 1);

            // A client with a will is connected when the broker dies [MQTT-3.1.2-8], and a
            // clean-session subscriber whose subscription must not outlive the crash.
            MqttClient willClient = clientWithWill(cluster);
            MqttClient cleanSubscriber = MqttClients.connect(cluster, "crash-clean");
            cleanSubscriber.subscribe("crash-clean/#", 1);

            MqttClient publisher = MqttClients.connect(cluster, "crash-publisher");
            for (int i = 0; i < OFFLINE_MESSAGES; i++) {
                publisher.publish("crash/data", MqttClients.qos1("m-" + i));
            }
            expiring.disconnect();
            expiring.close();
            cluster.killBroker();
            MqttClients.closeQuietly(publisher);
            MqttClients.closeQuietly(willClient);
            MqttClients.closeQuietly(cleanSubscriber);
            Thread.sleep(2_500);

            cluster.startBroker();
            Arrivals arrivals = new Arrivals();
            MqttClient resumed = persistentClient(cluster, "crash-subscriber", arrivals);
            try {
                List<Arrivals.Arrival> got = arrivals.await(OFFLINE_MESSAGES + 1, WAIT);
                List<String> data = got.stream().filter(a -> a.topic().equals("crash/data")).map(Arrivals.Arrival::body).toList();
                List<String> expected = IntStream.range(0, OFFLINE_MESSAGES).mapToObj(i -> "m-" + i).toList();
                assertEquals(expected, data, "the offline backlog, complete, in order, once\n" + cluster.diagnostics());
                assertTrue(got.stream().anyMatch(a -> a.topic().equals("crash/will") && a.body().equals("gone")),
                    "the will of the connection cut off by the crash is published after the restart");
                assertEquals(List.of(), arrivals.drain(Duration.ofSeconds(2)), "nothing delivered twice");
                assertFalse(connectPersistent(cluster, "crash-expiring").getSessionPresent(),
                    "the session whose expiry passed while the broker was down is gone [MQTT-3.2.2-2]");
            } finally {
                MqttClients.closeQuietly(resumed);
            }
            cluster.stopBroker();
            List<String> filters = IndexSnapshot.derivedState(cluster.master().home().store()).get("filters");
            String crashed = HexFormat.of().formatHex("crash/#".getBytes(StandardCharsets.UTF_8));
            assertEquals(1, filters.stream().filter(f -> f.startsWith(crashed + "=")).count(), filters.toString());
            for (String released : List.of("crash-clean/#", "crash-expiring/#")) {
                String hex = HexFormat.of().formatHex(released.getBytes(StandardCharsets.UTF_8));
                assertTrue(filters.stream().noneMatch(f -> f.startsWith(hex + "=")),
                    released + " is released: its sessions ended with the crash or expired");
            }
        }
    }

    @Test
    void killDashNineDuringDeliveryRedeliversOnlyWithinTheDocumentedBound() throws Exception {
        int progressBatch = 100;
        int receiveMaximum = 20;
        try (LocalCluster cluster = TestBrokers.newCluster("delivery-kill9",
            Map.of("mqttProgressBatchSize", String.valueOf(progressBatch)))) {
            cluster.start();
            Arrivals before = new Arrivals();
            MqttClient subscriber = persistentClient(cluster, "stream-subscriber", before, 3600L, receiveMaximum);
            subscriber.subscribe("stream/#", 1);
            MqttClient publisher = MqttClients.connect(cluster, "stream-publisher");
            List<String> acknowledged = new ArrayList<>();
            List<Arrivals.Arrival> received = new ArrayList<>();
            try {
                for (int i = 0; i < 2000; i++) {
                    publisher.publish("stream/x", MqttClients.qos1("s-" + i));
                    acknowledged.add("s-" + i);
                    if (i == 1500) {
                        received.addAll(before.await(1000, WAIT));
                        break;
                    }
                }
                cluster.killBroker();
            } finally {
                MqttClients.closeQuietly(publisher);
                MqttClients.closeQuietly(subscriber);
            }
            received.addAll(before.drain(Duration.ofMillis(200)));
            cluster.startBroker();
            Arrivals after = new Arrivals();
            MqttClient resumed = persistentClient(cluster, "stream-subscriber", after, 3600L, receiveMaximum);
            try {
                List<String> missing = new ArrayList<>(acknowledged);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    received.addAll(after.await(1, Duration.ofSeconds(1)));
                    missing.removeAll(received.stream().map(Arrivals.Arrival::body).toList());
                    if (missing.isEmpty()) {
                        break;
                    }
                }
                received.addAll(after.drain(Duration.ofSeconds(2)));
                assertEquals(List.of(), missing, "acknowledged publishes never delivered\n" + cluster.diagnostics());
                long duplicates = received.size() - received.stream().map(Arrivals.Arrival::body).distinct().count();
                assertTrue(duplicates <= progressBatch + receiveMaximum,
                    duplicates + " redeliveries exceed mqttProgressBatchSize plus the inflight window");
            } finally {
                MqttClients.closeQuietly(resumed);
            }
        }
    }

    private static IMqttToken connectPersistent(LocalCluster cluster, String clientId) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + TestBrokers.mqttPort(cluster), clientId,
            new MemoryPersistence());
        MqttConnectionOptions options = MqttClients.persistentSession(0L);
        try {
            return client.connectWithResult(options);
        } finally {
            MqttClients.closeQuietly(client);
        }
    }

    private static MqttClient persistentClient(LocalCluster cluster, String clientId, Arrivals arrivals)
        throws MqttException {
        return persistentClient(cluster, clientId, arrivals, 3600L);
    }

    private static MqttClient persistentClient(LocalCluster cluster, String clientId, Arrivals arrivals,
        long expirySeconds) throws MqttException {
        return persistentClient(cluster, clientId, arrivals, expirySeconds, 65535);
    }

    private static MqttClient persistentClient(LocalCluster cluster, String clientId, Arrivals arrivals,
        long expirySeconds, int receiveMaximum) throws MqttException {
        MqttConnectionOptions options = MqttClients.persistentSession(expirySeconds);
        options.setReceiveMaximum(receiveMaximum);
        return MqttClients.connect(cluster, clientId, options, arrivals);
    }

    private static MqttClient clientWithWill(LocalCluster cluster) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setWill("crash/will", MqttClients.qos1("gone"));
        return MqttClients.connect(cluster, "crash-will", options, null);
    }
}
