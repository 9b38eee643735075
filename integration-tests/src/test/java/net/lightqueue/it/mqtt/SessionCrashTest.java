package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * Persistent sessions and wills across a kill -9 of the real broker process: the session
 * state is derived from the commitlog, so what the broker acknowledged survives it.
 */
class SessionCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int OFFLINE_MESSAGES = 300;

    @Test
    void offlineBacklogAndWillsSurviveKillDashNine() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("session-kill9", Map.of())) {
            cluster.start();
            // A persistent subscriber goes offline [MQTT-3.1.2-4, MQTT-3.1.2-5].
            MqttClient subscriber = persistentClient(cluster, "crash-subscriber", new Arrivals());
            subscriber.subscribe("crash/#", 1);
            subscriber.disconnect();
            subscriber.close();

            // A client with a will is connected when the broker dies [MQTT-3.1.2-8].
            MqttClient willClient = clientWithWill(cluster);

            MqttClient publisher = MqttClients.connect(cluster, "crash-publisher");
            for (int i = 0; i < OFFLINE_MESSAGES; i++) {
                publisher.publish("crash/data", MqttClients.qos1("m-" + i));
            }
            cluster.killBroker();
            MqttClients.closeQuietly(publisher);
            MqttClients.closeQuietly(willClient);

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
            } finally {
                MqttClients.closeQuietly(resumed);
            }
        }
    }

    private static MqttClient persistentClient(LocalCluster cluster, String clientId, Arrivals arrivals)
        throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + TestBrokers.mqttPort(cluster), clientId,
            new MemoryPersistence());
        client.setCallback(arrivals);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setConnectionTimeout(30);
        client.connect(options);
        return client;
    }

    private static MqttClient clientWithWill(LocalCluster cluster) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + TestBrokers.mqttPort(cluster), "crash-will",
            new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        MqttMessage will = new MqttMessage("gone".getBytes(StandardCharsets.UTF_8));
        will.setQos(1);
        options.setWill("crash/will", will);
        client.connect(options);
        return client;
    }
}
