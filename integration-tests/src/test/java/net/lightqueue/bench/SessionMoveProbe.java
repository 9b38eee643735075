package net.lightqueue.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.lightqueue.it.Arrivals;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * How long a persistent session takes to resume, on the broker that holds it or on another
 * broker group of the cluster (a session move): CONNECT to CONNACK, then to the last message of
 * its backlog. Each round creates a session with some subscriptions on the first broker, leaves
 * a backlog there while it is offline, and resumes it on the second; the two brokers may be one.
 *   bench/session-move.sh FROM_PORT TO_PORT [rounds] [subscriptions] [backlog]
 */
public final class SessionMoveProbe {

    private SessionMoveProbe() {
    }

    public static void main(String[] args) throws Exception {
        int from = Integer.parseInt(args[0]);
        int to = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int subscriptions = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int backlog = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Double> connect = new ArrayList<>();
        List<Double> caughtUp = new ArrayList<>();
        try (Client publisher = new Client(from, "move-pub-" + run, true)) {
            for (int round = 0; round < rounds; round++) {
                String clientId = "move-" + run + "-" + round;
                String prefix = "move/" + run + "/" + round + "/";
                try (Client session = new Client(from, clientId, true)) {
                    for (int i = 0; i < subscriptions; i++) {
                        session.mqtt.subscribe(prefix + i + "/#", 1);
                    }
                }
                for (int i = 0; i < backlog; i++) {
                    publisher.mqtt.publish(prefix + "0/x", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
                }
                long start = System.nanoTime();
                try (Client resumed = new Client(to, clientId, false)) {
                    connect.add((System.nanoTime() - start) / 1e6);
                    int received = resumed.arrivals.await(backlog, Duration.ofSeconds(60)).size();
                    if (received < backlog) {
                        throw new IllegalStateException("round " + round + ": " + (backlog - received) + " messages missing");
                    }
                    caughtUp.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        System.out.printf("RESULT session-move from=%d to=%d rounds=%d subscriptions=%d backlog=%d "
                + "connack_ms_p50=%.1f connack_ms_p90=%.1f caught_up_ms_p50=%.1f caught_up_ms_p90=%.1f%n",
            from, to, rounds, subscriptions, backlog, percentile(connect, 50), percentile(connect, 90),
            percentile(caughtUp, 50), percentile(caughtUp, 90));
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }

    /** A Paho v5 client with a persistent session (expiry 600 s); records what it receives. */
    private static final class Client implements AutoCloseable {

        final MqttClient mqtt;
        final Arrivals arrivals = new Arrivals();

        Client(int port, String clientId, boolean cleanStart) throws MqttException {
            mqtt = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
            mqtt.setCallback(arrivals);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(600L);
            mqtt.connect(options);
        }

        @Override
        public void close() throws MqttException {
            mqtt.disconnect();
            mqtt.close();
        }
    }
}
