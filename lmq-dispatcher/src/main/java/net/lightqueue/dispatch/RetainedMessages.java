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
     * the previous one of its MQTT topic; one with an empty body deletes it (and leaves the topic
     * cleared, see {@link #retainedVersions}). The index keeps the whole message, so it outlives
     * commitlog retention. Expiry is not applied here.
     *
     * <p>Cost: proportional to the topics under the filter's literal leading levels, cleared ones
     * included (a filter without wildcards is one lookup); only a filter whose first level is a
     * wildcard reads all of them, and never returns {@code $} topics [MQTT-4.7.2-1]. The result
     * is in heap: a caller serving {@code #} over millions of retained messages holds them all,
     * so one that may face many reads them with {@link #retainedPage}.
     *
     * @return messages with {@link StoredMessage#queueOffset()} -1 (they are in no queue)
     * @throws IllegalArgumentException for an invalid filter
     */
    List<StoredMessage> retained(String filter);

    /**
     * Like {@link #retained}, but every topic matching {@code filter} that has a retained
     * message or was cleared, in UTF-8 order of the topics: what a caller merging the retained
     * state of several brokers needs, since a newer clear on one broker must win over an older
     * message on another. Same matching rules and cost as {@link #retained}; cleared topics are
     * read too.
     *
     * <p>A retained publish with an empty body leaves a cleared version behind (its store
     * timestamp and commitlog offset, one small index entry) until the topic is retained again.
     * Cleared versions are never swept by age: the state is derived from the commitlog alone,
     * so a master and its slaves keep the same.
     *
     * @throws IllegalArgumentException for an invalid filter
     */
    List<RetainedVersion> retainedVersions(String filter);

    /**
     * {@link #retainedVersions} a page at a time: the versions after topic {@code after} (from
     * the first when null), at most {@code maxVersions}, and none after the one whose stored
     * size (body and properties) reaches {@code maxBytes}. Each page reads the index as it is
     * then: a topic retained or cleared between two pages is seen as its next page finds it.
     *
     * @param after the {@link RetainedPage#next()} of the previous page, or null for the first
     * @throws IllegalArgumentException for an invalid filter
     */
    RetainedPage retainedPage(String filter, String after, int maxVersions, long maxBytes);

    /** The number of retained messages (not counting cleared topics), as of the last index write. */
    long retainedCount();
}
