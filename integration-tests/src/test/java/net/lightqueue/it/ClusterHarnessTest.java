package net.lightqueue.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

/**
 * The harness runs several broker groups of one cluster, each with the release jar, registered
 * at one name server; one group stops and starts again on its store while the other serves.
 */
class ClusterHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void runsTwoGroupsOfOneClusterAndRestartsOneWhileTheOtherServes() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("cluster-a", Map.of())) {
            BrokerNode a = cluster.master();
            BrokerNode b = TestBrokers.addGroup(cluster, "cluster-b", Map.of());
            cluster.start();
            DefaultMQAdminExt admin = new DefaultMQAdminExt();
            admin.setNamesrvAddr(cluster.namesrvAddress());
            admin.start();
            try {
                Map<String, String> both = Map.of("broker-a", a.address(), "broker-b", b.address());
                assertEquals(both, awaitMasters(admin, both), "both masters in one cluster\n" + cluster.diagnostics());
                assertRoundTrip(cluster, a, "a-first");
                assertRoundTrip(cluster, b, "b-first");

                // 143 = 128 + SIGTERM: the broker's shutdown hook ran, and it left the name server.
                assertEquals(143, b.stop(), cluster.diagnostics());
                Map<String, String> onlyA = Map.of("broker-a", a.address());
                assertEquals(onlyA, awaitMasters(admin, onlyA), cluster.diagnostics());
                assertRoundTrip(cluster, a, "a-while-b-is-down");

                b.start();
                assertEquals(both, awaitMasters(admin, both), "b registered again\n" + cluster.diagnostics());
                assertRoundTrip(cluster, b, "b-restarted");
                assertRoundTrip(cluster, a, "a-after-b-returned");
            } finally {
                admin.shutdown();
            }
        }
    }

    /** A client of {@code broker} receives its own QoS 1 publish, through that broker's MQTT port. */
    private static void assertRoundTrip(LocalCluster cluster, BrokerNode broker, String body) throws Exception {
        Arrivals arrivals = new Arrivals();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        MqttClient client = MqttClients.connect(broker, "harness-" + body, options, arrivals);
        try {
            String topic = "harness/" + body;
            client.subscribe(topic, 1);
            client.publish(topic, MqttClients.qos1(body));
            assertEquals(List.of(new Arrivals.Arrival(topic, body, false, false)), arrivals.await(1, WAIT),
                broker.brokerName() + " on MQTT port " + broker.mqttPort() + "\n" + cluster.diagnostics());
        } finally {
            MqttClients.closeQuietly(client);
        }
    }

    /**
     * The masters (brokerName to address) the name server lists in the harness's cluster, once
     * they are {@code expected} or the wait is over: brokers register and unregister asynchronously.
     */
    private static Map<String, String> awaitMasters(DefaultMQAdminExt admin, Map<String, String> expected)
        throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> masters = masters(admin.examineBrokerClusterInfo());
        while (!masters.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            masters = masters(admin.examineBrokerClusterInfo());
        }
        return masters;
    }

    private static Map<String, String> masters(ClusterInfo info) {
        Map<String, String> masters = new TreeMap<>();
        for (String brokerName : info.getClusterAddrTable().getOrDefault(LocalCluster.CLUSTER_NAME, Set.of())) {
            BrokerData broker = info.getBrokerAddrTable().get(brokerName);
            String master = broker == null ? null : broker.getBrokerAddrs().get(0L);
            if (master != null) {
                masters.put(brokerName, master);
            }
        }
        return masters;
    }
}
