package net.lightqueue.it.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.FreePorts;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * The light-queue index is derived from the commitlog alone: after a kill -9 and restart, and
 * on a slave that replicates the commitlog, every filter's queue holds exactly the matching
 * commitlog messages, in commitlog order, once.
 */
class DerivedStateTest {

    private static final List<String> FILTERS = List.of("k9/a/b", "k9/a/+", "k9/#", "+/a/b", "#");
    private static final List<String> TOPICS = List.of("k9/a/b", "k9/a/c", "k9/x", "other/a/b");
    private static final Set<String> FIRST_LEVELS = Set.of("k9", "other");

    @Test
    void indexEqualsTheCommitlogAfterKillDashNine() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("kill9", Map.of())) {
            cluster.start();
            List<MqttClient> subscribers = subscribeAll(cluster);
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            Thread publishing = new Thread(() -> publishUntilBrokerDies(cluster, acknowledged), "kill9-publisher");
            publishing.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (acknowledged.size() < 1500 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            cluster.killBroker();
            publishing.join(30_000);
            subscribers.forEach(MqttClients::closeQuietly);
            assertTrue(acknowledged.size() >= 1500, "publisher too slow: " + acknowledged.size() + "\n" + cluster.diagnostics());

            cluster.startBroker();
            cluster.stopBroker();

            List<CommitLogScan.Stored> truth = mqttMessages(cluster.master());
            Set<String> stored = truth.stream().map(CommitLogScan.Stored::body).collect(Collectors.toSet());
            List<String> lost = acknowledged.stream().filter(body -> !stored.contains(body)).toList();
            assertEquals(List.of(), lost, "acknowledged publishes missing from the commitlog");
            assertEquals(expectedQueues(truth), IndexSnapshot.read(cluster.master().home().store(), FILTERS),
                "each queue holds exactly its matching commitlog messages, in order, once");
        }
    }

    @Test
    void slaveDerivesTheSameIndexAsTheMaster() throws Exception {
        Map<String, String> syncMaster = Map.of("brokerRole", "SYNC_MASTER");
        try (LocalCluster cluster = TestBrokers.newCluster("ha-index", syncMaster)) {
            BrokerNode slave = cluster.addSlave(TestBrokers.newHome("ha-index-slave"),
                Map.of("mqttListenPort", String.valueOf(FreePorts.one())));
            cluster.start();
            slave.start();
            List<MqttClient> subscribers = subscribeAll(cluster);
            MqttClient persistent = persistentSessionWithWill(cluster);
            MqttClient publisher = MqttClients.connect(cluster, "ha-publisher");
            try {
                for (int i = 0; i < 200; i++) {
                    // SYNC_MASTER: the PUBACK means the slave holds the message too.
                    publisher.publish(TOPICS.get(i % TOPICS.size()), MqttClients.qos1("ha-" + i));
                }
                MqttMessage retained = MqttClients.qos1("last value");
                retained.setRetained(true);
                publisher.publish("k9/retained", retained);
            } finally {
                MqttClients.closeQuietly(persistent);
                MqttClients.closeQuietly(publisher);
                subscribers.forEach(MqttClients::closeQuietly);
            }
            // The master first: with SYNC_MASTER everything it wrote, $SYS updates included,
            // reached the slave before the master stops writing.
            cluster.stopBroker();
            slave.stop();

            Map<String, List<Long>> expected = expectedQueues(mqttMessages(cluster.master()));
            assertEquals(200 + 1, expected.get("#").size(), "200 publishes and the retained one\n" + cluster.diagnostics());
            assertEquals(expected, IndexSnapshot.read(cluster.master().home().store(), FILTERS), "master index");
            assertEquals(expected, IndexSnapshot.read(slave.home().store(), FILTERS), "slave index");
            Map<String, List<String>> masterState = IndexSnapshot.derivedState(cluster.master().home().store());
            assertFalse(masterState.get("sessions").isEmpty(), "the persistent session is recorded");
            assertFalse(masterState.get("retained").isEmpty(), "the retained message is recorded");
            assertEquals(masterState, IndexSnapshot.derivedState(slave.home().store()),
                "sessions, subscriptions, progress, wills and retained messages are identical on the slave");
        }
    }

    private static List<MqttClient> subscribeAll(LocalCluster cluster) throws Exception {
        List<MqttClient> subscribers = new ArrayList<>();
        for (int i = 0; i < FILTERS.size(); i++) {
            MqttClient subscriber = MqttClients.connect(cluster, "sub-" + i);
            subscriber.subscribe(FILTERS.get(i), 1);
            subscribers.add(subscriber);
        }
        return subscribers;
    }

    /** A persistent v5 session with a subscription and a will, acknowledging what it receives. */
    private static MqttClient persistentSessionWithWill(LocalCluster cluster) throws Exception {
        MqttConnectionOptions options = MqttClients.persistentSession(3600L);
        options.setWill("k9/will", MqttClients.qos1("gone"));
        options.getWillMessageProperties().setWillDelayInterval(600L);
        MqttClient client = MqttClients.connect(cluster, "ha-persistent", options, null);
        client.subscribe("k9/a/#", 1);
        return client;
    }

    private static void publishUntilBrokerDies(LocalCluster cluster, List<String> acknowledged) {
        MqttClient publisher = null;
        try {
            publisher = MqttClients.connect(cluster, "kill9-publisher");
            for (int i = 0; ; i++) {
                String body = "m-" + i;
                publisher.publish(TOPICS.get(i % TOPICS.size()), MqttClients.qos1(body));
                acknowledged.add(body);
            }
        } catch (Exception brokerGone) {
            // expected: the broker was killed
        } finally {
            if (publisher != null) {
                MqttClients.closeQuietly(publisher);
            }
        }
    }

    private static List<CommitLogScan.Stored> mqttMessages(BrokerNode node) throws Exception {
        List<CommitLogScan.Stored> all = CommitLogScan.messages(node.home().store().resolve("commitlog"));
        List<CommitLogScan.Stored> mqtt = all.stream()
            .filter(m -> m.mqttTopic() != null && FIRST_LEVELS.contains(m.topic())).toList();
        assertFalse(mqtt.isEmpty(), "no MQTT messages in the commitlog");
        return mqtt;
    }

    /** What each filter's queue must hold: the matching messages' commitlog offsets, in order. */
    private static Map<String, List<Long>> expectedQueues(List<CommitLogScan.Stored> truth) {
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        for (String filter : FILTERS) {
            expected.put(filter, truth.stream().filter(m -> Topics.matches(filter, m.mqttTopic()))
                .map(CommitLogScan.Stored::commitLogOffset).toList());
        }
        return expected;
    }
}
