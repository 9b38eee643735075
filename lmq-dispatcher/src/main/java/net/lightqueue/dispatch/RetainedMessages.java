package net.lightqueue.dispatch;

import java.util.List;

/**
 * The retained message of each MQTT topic, kept by the dispatcher as it applies the commitlog.
 *
 * <p>Thread-safety: all methods may be called from any thread; none blocks on I/O.
 */
public interface RetainedMessages {

    /**
     * The retained messages whose topic matches {@code filter}, in UTF-8 order of their topics,
     * as of the last index write. A message becomes retained when the dispatcher applies it with
     * {@link MqttMessageProperties#RETAIN} "true" (from MQTT or a RocketMQ producer), replacing
     * the previous one of its MQTT topic; one with an empty body deletes it. The index keeps the
     * whole message, so it outlives commitlog retention. Expiry is not applied here.
     *
     * <p>Cost: proportional to the topics under the filter's literal leading levels (a filter
     * without wildcards is one lookup); only a filter whose first level is a wildcard reads all
     * of them, and never returns {@code $} topics [MQTT-4.7.2-1]. The result is in heap: a
     * caller serving {@code #} over millions of retained messages holds them all.
     *
     * @return messages with {@link StoredMessage#queueOffset()} -1 (they are in no queue)
     * @throws IllegalArgumentException for an invalid filter
     */
    List<StoredMessage> retained(String filter);

    /** The number of retained messages, as of the last index write. */
    long retainedCount();
}
