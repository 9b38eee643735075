package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * The broker process killed with SIGKILL again and again, at random moments, under a mixed
 * workload; after every restart what the clients see is checked against a model of what the
 * broker acknowledged:
 * <ul>
 *   <li>every QoS 1 and QoS 2 publish that got its PUBACK / PUBCOMP reaches both persistent
 *   sessions (MQTT 5 and 3.1.1) [MQTT-4.3.2-2, MQTT-4.3.3-2], first arrivals in publish order
 *   [MQTT-4.6.0-5];</li>
 *   <li>no QoS 2 message is sent again after its PUBREL, nor reaches the application of a
 *   client that keeps its QoS 2 state twice [MQTT-4.3.3-10] ({@link RawQos2Subscriber});</li>
 *   <li>QoS 1 redeliveries per crash stay within {@code mqttProgressBatchSize} plus the
 *   receive window (the README's redelivery bound);</li>
 *   <li>the sessions are present, a subscription whose SUBACK / UNSUBACK arrived is in force /
 *   gone [MQTT-3.8.4-1, MQTT-3.10.4-1];</li>
 *   <li>each topic's retained message is the last acknowledged one or one sent after it;</li>
 *   <li>the will of the connection each crash cut off is published [MQTT-3.1.2-8].</li>
 * </ul>
 * CI runs {@value #DEFAULT_ROUNDS} rounds; {@code -Dcrash.rounds=100} runs more, and
 * {@code -Dcrash.seed=N} repeats the kill moments of a run (its seed is in every failure).
 */
class CrashModelTest {

    private static final int DEFAULT_ROUNDS = 3;
    private static final int PROGRESS_BATCH = 100;
    private static final int RECEIVE_MAXIMUM = 20;
    private static final int RETAINED_TOPICS = 4;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration QUIET = Duration.ofSeconds(2);

    @Test
    void whatTheBrokerAcknowledgedSurvivesRepeatedKills() throws Exception {
        int rounds = Integer.getInteger("crash.rounds", DEFAULT_ROUNDS);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        try (LocalCluster cluster = TestBrokers.newCluster("crash-model",
            Map.of("mqttProgressBatchSize", String.valueOf(PROGRESS_BATCH)))) {
            cluster.start();
            Model model = new Model();
            Sessions sessions = Sessions.open(cluster);
            try {
                for (int round = 1; round <= rounds; round++) {
                    String context = "round " + round + " of " + rounds + ", seed " + seed + " (-Dcrash.seed=" + seed
                        + " repeats it)";
                    sessions.churn(round % 2 == 1, model);
                    Load load = Load.start(cluster, round, model);
                    Thread.sleep(300 + random.nextInt(2_700));
                    cluster.killBroker();
                    load.stop();
                    sessions.settleBeforeRestart();

                    cluster.startBroker();
                    sessions.reconnect(context);
                    check(cluster, sessions, model, round, context);
                    System.out.printf("crash model: round %d of %d passed (%d QoS 1, %d QoS 2 acknowledged so far)%n",
                        round, rounds, model.qos1.size(), model.qos2.size());
                }
            } finally {
                sessions.close();
            }
            System.out.printf("crash model: %d rounds, %d QoS 1 and %d QoS 2 acknowledged publishes, %d QoS 1"
                + " redeliveries at most per crash, seed %d%n", rounds, model.qos1.size(), model.qos2.size(),
                sessions.worstRedeliveries, seed);
        }
    }

    private static void check(LocalCluster cluster, Sessions sessions, Model model, int round, String context)
        throws Exception {
        Set<String> expectedV5 = new LinkedHashSet<>(model.qos1);
        expectedV5.addAll(model.qos2);
        for (int r = 1; r <= round; r++) {
            expectedV5.add("w" + r);
        }
        List<String> sinceRestart = sessions.v5.collectUntil(expectedV5, context + "\n" + cluster.diagnostics());
        sessions.v3.collectUntil(new LinkedHashSet<>(model.qos1), context + "\n" + cluster.diagnostics());

        RawQos2Subscriber raw = sessions.raw;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!raw.delivered.containsAll(model.qos2) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(QUIET.toMillis());
        assertEquals(List.of(), model.qos2.stream().filter(body -> !raw.delivered.contains(body)).toList(),
            "QoS 2 publishes acknowledged with PUBCOMP never delivered, " + context);
        assertEquals(List.of(), raw.publishedAfterRelease, "PUBLISH sent again after its PUBREL, " + context);
        assertEquals(Map.of(), raw.duplicates(), "QoS 2 messages delivered twice to the application, " + context);

        List<String> qos1SinceRestart = sinceRestart.stream().filter(body -> body.contains("-a")).toList();
        long redelivered = qos1SinceRestart.stream().filter(sessions.v5.beforeRestart::contains).count()
            + (qos1SinceRestart.size() - qos1SinceRestart.stream().distinct().count());
        sessions.worstRedeliveries = Math.max(sessions.worstRedeliveries, redelivered);
        assertTrue(redelivered <= PROGRESS_BATCH + RECEIVE_MAXIMUM, redelivered
            + " QoS 1 redeliveries after one crash exceed mqttProgressBatchSize plus the receive window, " + context);

        Set<String> acknowledged = new HashSet<>(model.qos1);
        for (Receiver receiver : List.of(sessions.v5, sessions.v3)) {
            // Every acknowledged one arrived (checked above); those the broker stored without a PUBACK may be among them.
            List<String> firstArrivals = receiver.seen.stream().filter(acknowledged::contains).toList();
            assertEquals(model.qos1, firstArrivals, receiver.name + ": QoS 1 messages out of publish order, " + context);
        }

        checkRetained(cluster, model, round, context);
        checkChurn(cluster, sessions, model, round, context);
    }

    /** A new subscriber gets, per topic, the last retained message acknowledged or one sent after it. */
    private static void checkRetained(LocalCluster cluster, Model model, int round, String context) throws Exception {
        Arrivals arrivals = new Arrivals();
        MqttConnectionOptions clean = new MqttConnectionOptions();
        clean.setCleanStart(true);
        MqttClient reader = MqttClients.connect(cluster, "model-retained-" + round, clean, arrivals);
        try {
            reader.subscribe("model/ret/#", 1);
            Map<String, List<String>> got = new HashMap<>();
            for (Arrivals.Arrival arrival : arrivals.drain(QUIET)) {
                got.computeIfAbsent(arrival.topic(), topic -> new ArrayList<>()).add(arrival.body());
            }
            for (String topic : model.retainedSent.keySet()) {
                List<String> allowed = model.retainedAllowed(topic);
                List<String> values = got.getOrDefault(topic, List.of());
                boolean mayBeEmpty = !model.retainedAcked.containsKey(topic);
                assertTrue(values.size() == 1 && allowed.contains(values.get(0)) || mayBeEmpty && values.isEmpty(),
                    topic + " retains " + values + ", allowed " + allowed + ", " + context);
            }
        } finally {
            MqttClients.closeQuietly(reader);
        }
    }

    /** The churning session's subscription is what its last SUBACK or UNSUBACK said. */
    private static void checkChurn(LocalCluster cluster, Sessions sessions, Model model, int round, String context)
        throws Exception {
        MqttClient probe = MqttClients.connect(cluster, "model-probe-" + round);
        try {
            probe.publish("model/churn/" + round, MqttClients.qos1("probe-" + round));
        } finally {
            MqttClients.closeQuietly(probe);
        }
        List<String> got = sessions.churnArrivals.drain(QUIET).stream().map(Arrivals.Arrival::body).toList();
        assertEquals(model.churnSubscribed ? List.of("probe-" + round) : List.of(), got,
            "the churning session's subscription (subscribed: " + model.churnSubscribed + "), " + context);
    }

    /** What the broker acknowledged (and, for retained messages, what it was sent). */
    private static final class Model {
        final List<String> qos1 = new CopyOnWriteArrayList<>();
        final List<String> qos2 = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> retainedSent = new ConcurrentHashMap<>();
        final Map<String, String> retainedAcked = new ConcurrentHashMap<>();
        boolean churnSubscribed;

        /** The last acknowledged value of the topic and every one sent after it. */
        List<String> retainedAllowed(String topic) {
            List<String> sent = retainedSent.get(topic);
            String acked = retainedAcked.get(topic);
            return acked == null ? sent : sent.subList(sent.indexOf(acked), sent.size());
        }
    }

    /** The persistent sessions that live through every crash, with what they received. */
    private static final class Sessions {
        final Receiver v5 = new Receiver("MQTT 5 session");
        final Receiver v3 = new Receiver("MQTT 3.1.1 session");
        final Arrivals churnArrivals = new Arrivals();
        RawQos2Subscriber raw;
        final MqttConnectionOptions v5Options = MqttClients.persistentSession(3600L);
        final MqttConnectionOptions churnOptions = MqttClients.persistentSession(3600L);
        MqttClient v5Client;
        V3Client v3Client;
        MqttClient churnClient;
        long worstRedeliveries;

        static Sessions open(LocalCluster cluster) throws Exception {
            Sessions sessions = new Sessions();
            sessions.v5Options.setReceiveMaximum(RECEIVE_MAXIMUM);
            sessions.v5Client = MqttClients.connect(cluster, "model-v5", sessions.v5Options, sessions.v5.arrivals);
            sessions.v5Client.subscribe(new String[] {"model/q/#", "model/will/#"}, new int[] {2, 1});
            sessions.v3Client = V3Client.connect(cluster.master(), "model-v3", false);
            sessions.v3.arrivals = sessions.v3Client.arrivals;
            sessions.v3Client.client.subscribe("model/q/1", 1);
            sessions.churnClient = MqttClients.connect(cluster, "model-churn", sessions.churnOptions,
                sessions.churnArrivals);
            sessions.raw = RawQos2Subscriber.subscribe(TestBrokers.mqttPort(cluster), "model-raw", "model/q/2");
            return sessions;
        }

        void churn(boolean subscribe, Model model) throws MqttException {
            if (subscribe) {
                churnClient.subscribe("model/churn/#", 1);
            } else {
                churnClient.unsubscribe("model/churn/#");
            }
            model.churnSubscribed = subscribe;
        }

        /** Takes in what arrived before the crash, so that what comes after can be told apart. */
        void settleBeforeRestart() throws InterruptedException {
            v5.markRestart();
            v3.markRestart();
        }

        void reconnect(String context) throws Exception {
            assertTrue(v5Client.connectWithResult(v5Options).getSessionPresent(), "MQTT 5 session present, " + context);
            v3Client.reconnect();
            assertTrue(v3Client.sessionPresent, "MQTT 3.1.1 session present, " + context);
            assertTrue(churnClient.connectWithResult(churnOptions).getSessionPresent(), "churning session present, "
                + context);
            assertTrue(raw.connect(), "raw QoS 2 session present, " + context);
        }

        void close() {
            MqttClients.closeQuietly(v5Client);
            v3Client.close();
            MqttClients.closeQuietly(churnClient);
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing a socket the broker may have closed
            }
        }
    }

    /** One session's arrivals: all of them, and which had arrived before the last restart. */
    private static final class Receiver {
        final String name;
        Arrivals arrivals = new Arrivals();
        final List<String> all = new ArrayList<>();
        /** The distinct bodies of {@link #all}, in the order of their first arrival. */
        final Set<String> seen = new LinkedHashSet<>();
        final Set<String> beforeRestart = new HashSet<>();

        Receiver(String name) {
            this.name = name;
        }

        void markRestart() throws InterruptedException {
            arrivals.drain(Duration.ofMillis(200)).forEach(arrival -> add(arrival.body()));
            beforeRestart.clear();
            beforeRestart.addAll(seen);
        }

        private void add(String body) {
            all.add(body);
            seen.add(body);
        }

        /** Collects until every expected body arrived, then what follows within a quiet spell; returns what came. */
        List<String> collectUntil(Set<String> expected, String context) throws InterruptedException {
            List<String> since = new ArrayList<>();
            Predicate<String> missing = body -> !seen.contains(body);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (expected.stream().anyMatch(missing) && System.nanoTime() < deadline) {
                for (Arrivals.Arrival arrival : arrivals.await(1_000, Duration.ofSeconds(1))) {
                    add(arrival.body());
                    since.add(arrival.body());
                }
            }
            for (Arrivals.Arrival arrival : arrivals.drain(QUIET)) {
                add(arrival.body());
                since.add(arrival.body());
            }
            List<String> lost = expected.stream().filter(missing).toList();
            assertEquals(List.of(), lost, name + ": acknowledged publishes never delivered, " + context);
            return since;
        }
    }

    /** The publishers of one round: each goes on until the broker dies under it. */
    private static final class Load {
        private final List<Thread> threads = new ArrayList<>();
        private final List<MqttClient> clients = new ArrayList<>();

        static Load start(LocalCluster cluster, int round, Model model) throws Exception {
            Load load = new Load();
            MqttConnectionOptions withWill = new MqttConnectionOptions();
            withWill.setCleanStart(true);
            withWill.setWill("model/will/" + round, MqttClients.qos1("w" + round));
            load.clients.add(MqttClients.connect(cluster, "model-will", withWill, null));
            load.publish(cluster, "model-p1-" + round, i -> {
                String body = "r" + round + "-a" + i;
                return () -> {
                    load.client(0).publish("model/q/1", MqttClients.qos1(body));
                    model.qos1.add(body);
                };
            });
            load.publish(cluster, "model-p2-" + round, i -> {
                String body = "r" + round + "-b" + i;
                return () -> {
                    MqttMessage message = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
                    message.setQos(2);
                    load.client(1).publish("model/q/2", message);
                    model.qos2.add(body);
                };
            });
            load.publish(cluster, "model-ret-" + round, i -> {
                String topic = "model/ret/" + i % RETAINED_TOPICS;
                String body = "r" + round + "-v" + i;
                return () -> {
                    MqttMessage message = MqttClients.qos1(body);
                    message.setRetained(true);
                    model.retainedSent.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(body);
                    load.client(2).publish(topic, message);
                    model.retainedAcked.put(topic, body);
                };
            });
            return load;
        }

        private interface Step {
            void run() throws MqttException;
        }

        private interface Steps {
            Step step(int i);
        }

        private MqttClient client(int publisher) {
            return clients.get(1 + publisher);
        }

        private void publish(LocalCluster cluster, String clientId, Steps steps) throws MqttException {
            clients.add(MqttClients.connect(cluster, clientId));
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 1; ; i++) {
                        steps.step(i).run();
                    }
                } catch (MqttException e) {
                    // the broker died under it: what it acknowledged is in the model
                }
            }, clientId);
            threads.add(thread);
            thread.start();
        }

        void stop() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(WAIT.toMillis());
            }
            clients.forEach(MqttClients::closeQuietly);
        }
    }
}
