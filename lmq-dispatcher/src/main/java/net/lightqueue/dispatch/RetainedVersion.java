package net.lightqueue.dispatch;

import java.util.Objects;

/**
 * What this broker last applied for the retained message of an MQTT topic: the message, or that
 * the topic was cleared (a retained publish with an empty body), with the store timestamp of
 * the publish that did it. Brokers of a cluster each keep their own; the newest version of a
 * topic across them is the one with the highest store timestamp (ties broken by broker name).
 *
 * @param topic the MQTT topic
 * @param storeTimestamp when this broker stored the retained publish, or the clearing one
 * @param message the retained message (queue offset -1); {@code null} if the topic was cleared
 */
public record RetainedVersion(String topic, long storeTimestamp, StoredMessage message) {

    public RetainedVersion {
        Objects.requireNonNull(topic, "topic");
    }

    /** Whether the topic was cleared: its last retained publish here had an empty body. */
    public boolean cleared() {
        return message == null;
    }
}
