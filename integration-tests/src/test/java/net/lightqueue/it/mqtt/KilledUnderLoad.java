package net.lightqueue.it.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.MqttClients;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A broker killed with SIGKILL under QoS 1 load: what it acknowledged before (what it promised to
 * keep), and when ({@link System#nanoTime()}) it was killed.
 */
record KilledUnderLoad(List<String> acknowledged, long killedAt) {

    private static final Duration WAIT = Duration.ofSeconds(120);

    /** As {@link #publishUntilKilled(MqttClient, String, String, int, BrokerNode, Callable)}, with nothing before the kill. */
    static KilledUnderLoad publishUntilKilled(MqttClient publisher, String topic, String prefix, int killAfter,
        BrokerNode broker) throws Exception {
        return publishUntilKilled(publisher, topic, prefix, killAfter, broker, () -> null);
    }

    /**
     * Publishes {@code prefix}1, {@code prefix}2 ... at QoS 1 to {@code topic} from a thread of its
     * own; once {@code killAfter} of them are acknowledged, runs {@code beforeKill} and kills
     * {@code broker} (the publisher's) with SIGKILL, then waits for the publisher to notice.
     */
    static KilledUnderLoad publishUntilKilled(MqttClient publisher, String topic, String prefix, int killAfter,
        BrokerNode broker, Callable<?> beforeKill) throws Exception {
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> enough = new CompletableFuture<>();
        Thread publishing = new Thread(() -> {
            try {
                for (int i = 1; i <= 5 * killAfter; i++) {
                    publisher.publish(topic, MqttClients.qos1(prefix + i));
                    acknowledged.add(prefix + i);
                    if (i == killAfter) {
                        enough.complete(null);
                    }
                }
            } catch (MqttException e) {
                // the broker died under it: what it acknowledged counts
            } finally {
                enough.complete(null);
            }
        }, "publisher-" + topic);
        publishing.start();
        enough.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        beforeKill.call();
        long killedAt = System.nanoTime();
        broker.kill();
        publishing.join(WAIT.toMillis());
        return new KilledUnderLoad(List.copyOf(acknowledged), killedAt);
    }
}
