package net.lightqueue.it.mqtt;

import java.time.Duration;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** Waits until the broker groups of a cluster serve each other's messages. */
final class ClusterPeers {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(3);

    private ClusterPeers() {
    }

    /**
     * Waits until a subscriber on {@code to} receives a publish made on {@code from}. Each try
     * subscribes anew: a subscription made before the brokers knew each other does not reach
     * the other group.
     */
    static void await(LocalCluster cluster, BrokerNode from, BrokerNode to, String probe) throws Exception {
        MqttConnectionOptions cleanStart = new MqttConnectionOptions();
        cleanStart.setCleanStart(true);
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            String topic = "probe/" + from.brokerName() + "/" + to.brokerName() + "/" + attempt;
            Arrivals arrivals = new Arrivals();
            MqttClient subscriber = MqttClients.connect(to, "probe-sub-" + to.brokerName(), cleanStart, arrivals);
            MqttClient publisher = MqttClients.connect(from, "probe-pub-" + from.brokerName(), cleanStart, null);
            try {
                subscriber.subscribe(topic, 1);
                publisher.publish(topic, MqttClients.qos1(probe));
                if (!arrivals.await(1, PROBE_WAIT).isEmpty()) {
                    return;
                }
            } finally {
                MqttClients.closeQuietly(subscriber);
                MqttClients.closeQuietly(publisher);
            }
        }
        throw new AssertionError(to.brokerName() + " never received what " + from.brokerName() + " stored\n"
            + cluster.diagnostics());
    }
}
