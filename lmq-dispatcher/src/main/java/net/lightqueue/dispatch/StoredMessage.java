package net.lightqueue.dispatch;

import java.util.Map;
import java.util.Objects;

/**
 * A message read through a light queue. Shared between readers of the same position through
 * a small cache: treat {@code body} and {@code properties} as read-only.
 *
 * @param body never null: a zero-length payload is an empty array
 *
 * @param mqttTopic the MQTT topic (the {@code originMqttTopic} property, or the mapping of a
 *                  native RocketMQ message, see {@link MqttMessageProperties})
 * @param queueOffset the offset in the light queue it was read from; -1 for a retained message
 *                    (read with {@link RetainedMessages#retained} or
 *                    {@link RetainedMessages#retainedVersions})
 */
public record StoredMessage(String mqttTopic, byte[] body, Map<String, String> properties,
                            long storeTimestamp, long queueOffset, long commitLogOffset) {

    public StoredMessage {
        Objects.requireNonNull(body, "body");
    }
}
