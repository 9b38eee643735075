package net.lightqueue.mqtt.publish;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The one write of an MQTT publish (client publishes, wills, $SYS) into its RocketMQ topic. */
public interface MessageWriter {

    /** The store's answer: an MQTT 5 reason code (0 = written) and the store's status for the log. */
    record Outcome(byte reasonCode, String status) {
        public boolean ok() {
            return reasonCode == 0;
        }
    }

    /** @return completes once the broker's durability is met, or with the reason code of the failed write; never exceptionally */
    CompletableFuture<Outcome> write(RocketTopics.Target target, String mqttTopic, byte[] payload,
                                     Map<String, String> properties, SocketAddress bornHost);
}
