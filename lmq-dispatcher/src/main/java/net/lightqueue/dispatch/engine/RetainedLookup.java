package net.lightqueue.dispatch.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.index.LightQueueIndex;

/**
 * Finds the retained messages a topic filter matches. Keys are MQTT topics, so all topics under
 * the filter's literal leading levels are one contiguous key range: the lookup reads only that
 * range ({@code home/+/temp} reads the keys starting with {@code home/}), and a filter without
 * wildcards is a single get. Only a filter starting with a wildcard reads every key. Cleared
 * topics are keys too, read and then left out of {@link #matching}. Any thread.
 */
public final class RetainedLookup {

    private final LightQueueIndex index;

    public RetainedLookup(LightQueueIndex index) {
        this.index = index;
    }

    /** The retained messages matching a valid filter, in UTF-8 order of their topics. */
    public List<StoredMessage> matching(String filter) {
        List<StoredMessage> found = new ArrayList<>();
        for (RetainedVersion version : versions(filter)) {
            if (!version.cleared()) {
                found.add(version.message());
            }
        }
        return found;
    }

    /** The retained messages and cleared topics matching a valid filter, in UTF-8 order of their topics. */
    public List<RetainedVersion> versions(String filter) {
        String[] levels = Topics.levels(filter);
        int literal = 0;
        while (literal < levels.length && !isWildcard(levels[literal])) {
            literal++;
        }
        List<RetainedVersion> found = new ArrayList<>();
        if (literal == levels.length) {
            addIfKept(filter, found);
            return found;
        }
        String parent = String.join("/", Arrays.copyOf(levels, literal));
        if (literal > 0 && levels[literal].equals("#")) {
            addIfKept(parent, found); // a/# matches a itself
        }
        String prefix = literal == 0 ? "" : parent + "/";
        index.scan(StateLayout.RETAINED, StateLayout.utf8(prefix), (key, value) -> {
            String topic = StateLayout.string(key);
            // Topics.matches also keeps first-level wildcards off $ topics [MQTT-4.7.2-1].
            if (Topics.matches(filter, topic)) {
                found.add(RetainedCodec.decode(topic, value));
            }
            return true;
        });
        return found;
    }

    /** The number of retained messages, cleared topics not included, as of the last index write. */
    public long count() {
        return StateLayout.longCountOf(index.get(StateLayout.COUNTERS, StateLayout.RETAINED_COUNT));
    }

    private void addIfKept(String topic, List<RetainedVersion> found) {
        byte[] value = index.get(StateLayout.RETAINED, StateLayout.utf8(topic));
        if (value != null) {
            found.add(RetainedCodec.decode(topic, value));
        }
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
