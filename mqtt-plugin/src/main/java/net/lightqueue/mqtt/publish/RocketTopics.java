package net.lightqueue.mqtt.publish;

/** Where the publishes to an MQTT topic go in RocketMQ: the first-level topic and a queue of it. */
public interface RocketTopics {

    /** Where a publish goes, or why it cannot: {@code forbidden} when no client may ever publish there. */
    record Target(String topic, int queueId, String problem, boolean forbidden) {

        public static Target of(String topic, int queueId) {
            return new Target(topic, queueId, null, false);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    Target resolve(String mqttTopic);
}
