package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two broker groups, broker-b with a slave (SYNC_MASTER with two in-sync replicas: a PUBACK from
 * broker-b means its slave holds the message too). While broker-b's master is down (stopped, or killed with SIGKILL),
 * sessions on broker-a get what broker-b stored from the slave; once the master is back they
 * read it there again, and the progress they made meanwhile is recorded at the master: nothing
 * is delivered twice. The tests start broker-b's master again when they end.
 */
class SlaveReadTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "slaveread/b";

    private static LocalCluster cluster;
    private static BrokerNode a;
    private static BrokerNode b;

    @BeforeAll
    static void startTwoGroupsAndASlave() throws Exception {
        // Remote reads of one message at a time: what broker-a read ahead from broker-b's master
        // before it stopped is one message at most, the rest has to come from the slave.
        cluster = TestBrokers.newCluster("slave-read-a", Map.of("mqttDeliveryBatchSize", "1"));
        a = cluster.master();
        b = TestBrokers.addGroup(cluster, "slave-read-b", Map.of("brokerRole", "SYNC_MASTER", "inSyncReplicas", "2"));
        BrokerNode slave = cluster.addSlave(b, TestBrokers.newHome("slave-read-b-slave"),
            Map.of("mqttListenPort", String.valueOf(cluster.freePort()), "popConsumerFSServiceInit", "false"));
        cluster.start();
        slave.start();
        ClusterPeers.await(cluster, b, a, "ready");
    }

    /** A test that failed while broker-b's master was down leaves the next one a whole cluster. */
    @AfterEach
    void startTheMasterIfDown() throws Exception {
        if (!b.isAlive()) {
            b.start();
            ClusterPeers.await(cluster, b, a, "restarted");
        }
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void whileAGroupsMasterIsDownItsStoredMessagesComeFromItsSlaveAndNothingTwiceOnceItIsBack() throws Exception {
        // One session stays connected with its receive window full; the other is offline.
        MqttClient connected = new MqttClient(uri(a), "slave-read-live", new MemoryPersistence());
        HeldAcks live = new HeldAcks(connected);
        MqttConnectionOptions window = persistent();
        window.setReceiveMaximum(2);
        connected.connect(window);
        MqttClient resumed = MqttClients.connect(a, "slave-read-offline", persistent(), new Arrivals());
        List<MqttClient> back = new ArrayList<>();
        try {
            connected.subscribe("slaveread/#", 1);
            resumed.subscribe("slaveread/#", 1);
            resumed.disconnect();
            resumed.close();
            publishOnB(TOPIC, "m", 10);
            List<String> liveGot = new ArrayList<>(bodies(live.await(2, WAIT)));
            assertEquals(sequence("m", 2), liveGot, "the receive window's worth, unacknowledged\n" + cluster.diagnostics());

            assertEquals(143, b.stop(), "broker-b's master stopped through its shutdown hook\n" + cluster.diagnostics());
            live.release();
            liveGot.addAll(bodies(live.await(8, WAIT)));
            assertEquals(sequence("m", 10), liveGot,
                "the rest of what broker-b stored, from its slave, in order\n" + cluster.diagnostics());
            Arrivals resumedArrivals = new Arrivals();
            resumed = new MqttClient(uri(a), "slave-read-offline", new MemoryPersistence());
            resumed.setCallback(resumedArrivals);
            assertTrue(resumed.connectWithResult(persistent()).getSessionPresent(), "session present");
            assertEquals(sequence("m", 10), bodies(resumedArrivals.await(10, WAIT)),
                "a session resuming while the master is down reads the slave too\n" + cluster.diagnostics());
            assertEquals(List.of(), bodies(live.drain(Duration.ofSeconds(1))), "each once");
            assertEquals(List.of(), bodies(resumedArrivals.drain(Duration.ofSeconds(1))), "each once");
            assertFalse(b.isAlive(), "all of it while broker-b's master was down");
            assertTrue(a.home().logTail("broker_default.log", 5_000).contains(
                "MQTT reads of broker-b's queues go to its slave"), "read at the slave\n" + cluster.diagnostics());
            // Both sessions leave while the master is down: where they stand in broker-b's queue
            // is owed to broker-b's master.
            connected.disconnect();
            resumed.disconnect();

            b.start();
            ClusterPeers.await(cluster, b, a, "b-is-back");
            List<Arrivals> again = new ArrayList<>();
            for (String clientId : List.of("slave-read-live", "slave-read-offline")) {
                Arrivals arrivals = new Arrivals();
                MqttClient client = new MqttClient(uri(a), clientId, new MemoryPersistence());
                client.setCallback(arrivals);
                back.add(client);
                again.add(arrivals);
                assertTrue(client.connectWithResult(persistent()).getSessionPresent(), "session present");
            }
            publishOnB(TOPIC, "after", 3);
            for (Arrivals arrivals : again) {
                assertEquals(sequence("after", 3), bodies(arrivals.await(3, WAIT)),
                    "what the sessions got from the slave was recorded at broker-b's master once it was back:"
                        + " nothing of it again\n" + cluster.diagnostics());
                assertEquals(List.of(), bodies(arrivals.drain(Duration.ofSeconds(1))), "each once");
            }
        } finally {
            back.forEach(MqttClients::closeQuietly);
            MqttClients.closeQuietly(connected);
            MqttClients.closeQuietly(resumed);
        }
    }

    @Test
    void killDashNineOfTheMasterLosesNothingItAcknowledgedWhileItIsDown() throws Exception {
        Arrivals arrivals = new Arrivals();
        MqttClient subscriber = MqttClients.connect(a, "slave-kill-sub", persistent(), arrivals);
        try {
            subscriber.subscribe("slavekill/#", 1);
            MqttClient publisher = MqttClients.connect(b, "slave-kill-pub", cleanStart(), null);
            List<String> acknowledged = KilledUnderLoad.publishUntilKilled(publisher, "slavekill/x", "k", 200, b).acknowledged();
            MqttClients.closeQuietly(publisher);

            // Two in-sync replicas: what the master acknowledged, its slave holds.
            List<String> received = new ArrayList<>(bodies(arrivals.await(acknowledged.size(), WAIT)));
            assertEquals(acknowledged, received.subList(0, Math.min(received.size(), acknowledged.size())),
                "every acknowledged publish, in order, once, while broker-b's master is down\n" + cluster.diagnostics());
            assertFalse(b.isAlive());
            System.out.println("kill -9 of broker-b's master after " + acknowledged.size()
                + " acknowledged publishes; all of them delivered before it restarted");

            b.start();
            ClusterPeers.await(cluster, b, a, "b-is-back-after-kill");
            publishOnB("slavekill/x", "after-kill", 1);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!received.contains("after-kill1") && System.nanoTime() < deadline) {
                received.addAll(bodies(arrivals.await(1, Duration.ofSeconds(1))));
            }
            received.addAll(bodies(arrivals.drain(Duration.ofSeconds(1))));
            // Stored but not acknowledged (the master died before its PUBACK) may come too, after
            // the acknowledged ones and in order; nothing comes twice.
            List<String> stored = received.subList(0, received.size() - 1);
            assertEquals(sequence("k", stored.size()), stored, "broker-b's messages in order, once\n" + cluster.diagnostics());
            assertEquals("after-kill1", received.get(received.size() - 1), "then what it stored after its restart");
        } finally {
            MqttClients.closeQuietly(subscriber);
        }
    }

    private static void publishOnB(String topic, String prefix, int count) throws Exception {
        MqttClient publisher = MqttClients.connect(b, "slave-read-pub", cleanStart(), null);
        try {
            for (String body : sequence(prefix, count)) {
                publisher.publish(topic, MqttClients.qos1(body));
            }
        } finally {
            MqttClients.closeQuietly(publisher);
        }
    }

    private static String uri(BrokerNode broker) {
        return "tcp://127.0.0.1:" + broker.mqttPort();
    }

    private static MqttConnectionOptions persistent() {
        MqttConnectionOptions options = MqttClients.persistentSession(600);
        options.setConnectionTimeout(30);
        return options;
    }

    private static MqttConnectionOptions cleanStart() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        return options;
    }

    private static List<String> bodies(List<Arrivals.Arrival> arrivals) {
        return arrivals.stream().map(Arrivals.Arrival::body).toList();
    }

    private static List<String> sequence(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }
}
