package net.lightqueue.dispatch.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.lightqueue.dispatch.RetainedPage;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.index.LightQueueIndex;

/**
 * Finds the retained messages a topic filter matches. Keys are MQTT topics, so all topics under
 * the filter's literal leading levels are one contiguous key range: the lookup reads only that
 * range ({@code home/+/temp} reads the keys starting with {@code home/}), and a filter without
 * wildcards is a single get. Only a filter starting with a wildcard reads every key. Cleared
 * topics are keys too, read and then left out of {@link #matching}. A lookup may be read in
 * pages, each continuing the key range after the topic the previous one ended at. Any thread.
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
        return page(filter, null, Integer.MAX_VALUE, Long.MAX_VALUE).versions();
    }

    /**
     * The retained messages and cleared topics matching a valid filter whose topics come after
     * {@code after} (from the first when null), in UTF-8 order: at most {@code maxVersions} of
     * them, and no more than the one that reaches {@code maxBytes} of stored values.
     */
    public RetainedPage page(String filter, String after, int maxVersions, long maxBytes) {
        String[] levels = Topics.levels(filter);
        int literal = 0;
        while (literal < levels.length && !isWildcard(levels[literal])) {
            literal++;
        }
        Page page = new Page(maxVersions, maxBytes);
        if (literal == levels.length) {
            if (after == null) {
                page.addIfKept(filter);
            }
            return page.complete();
        }
        String parent = String.join("/", Arrays.copyOf(levels, literal));
        if (after == null && literal > 0 && levels[literal].equals("#") && page.addIfKept(parent)) {
            return page.next(parent); // a/# matches a itself
        }
        byte[] prefix = StateLayout.utf8(literal == 0 ? "" : parent + "/");
        byte[] last = after == null ? null : StateLayout.utf8(after);
        byte[] from = last != null && Arrays.compareUnsigned(last, prefix) > 0 ? last : prefix;
        String[] ended = new String[1];
        index.scan(StateLayout.RETAINED, prefix, from, (key, value) -> {
            if (last != null && Arrays.equals(key, last)) {
                return true;
            }
            String topic = StateLayout.string(key);
            // Topics.matches also keeps first-level wildcards off $ topics [MQTT-4.7.2-1].
            if (Topics.matches(filter, topic) && page.add(topic, value)) {
                ended[0] = topic;
                return false;
            }
            return true;
        });
        return ended[0] == null ? page.complete() : page.next(ended[0]);
    }

    /** The number of retained messages, cleared topics not included, as of the last index write. */
    public long count() {
        return StateLayout.longCountOf(index.get(StateLayout.COUNTERS, StateLayout.RETAINED_COUNT));
    }

    /** The versions a page collects, until it is full. */
    private final class Page {
        private final int maxVersions;
        private final long maxBytes;
        private final List<RetainedVersion> versions = new ArrayList<>();
        private long bytes;

        Page(int maxVersions, long maxBytes) {
            this.maxVersions = maxVersions;
            this.maxBytes = maxBytes;
        }

        /** @return whether the page is full */
        boolean add(String topic, byte[] value) {
            versions.add(RetainedCodec.decode(topic, value));
            bytes += value.length;
            return versions.size() >= maxVersions || bytes >= maxBytes;
        }

        /** @return whether the topic is kept and filled the page */
        boolean addIfKept(String topic) {
            byte[] value = index.get(StateLayout.RETAINED, StateLayout.utf8(topic));
            return value != null && add(topic, value);
        }

        RetainedPage next(String topic) {
            return new RetainedPage(versions, topic);
        }

        RetainedPage complete() {
            return new RetainedPage(versions, null);
        }
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
