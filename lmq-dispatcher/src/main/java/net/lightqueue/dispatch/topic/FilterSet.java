package net.lightqueue.dispatch.topic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * The live topic filters with their reference counts, and the matching of a topic name against
 * all of them. Exact filters are one hash lookup (a name without wildcards can only equal an
 * exact filter); wildcard filters live in a {@link WildcardTrie}. Matching cost therefore does
 * not grow with the number of filters, and an exact filter costs one map entry of heap.
 *
 * <p>Not thread-safe: owned by the dispatcher thread.
 */
public final class FilterSet {

    /** Every filter, exact or wildcard, with the number of subscriptions using it (always > 0). */
    private final Map<String, Integer> counts = new HashMap<>();
    private final WildcardTrie wildcards = new WildcardTrie();

    /** Adds one reference; returns the new count (1 means the filter just became live). */
    public int retain(String filter) {
        int count = counts.merge(filter, 1, Integer::sum);
        if (count == 1 && Topics.isWildcard(filter)) {
            wildcards.add(filter);
        }
        return count;
    }

    /** Drops one reference; returns the new count (0 means the filter is no longer live). */
    public int release(String filter) {
        Integer count = counts.get(filter);
        if (count == null) {
            return 0;
        }
        if (count > 1) {
            counts.put(filter, count - 1);
            return count - 1;
        }
        counts.remove(filter);
        if (Topics.isWildcard(filter)) {
            wildcards.remove(filter);
        }
        return 0;
    }

    /** Installs a filter with a known count, as loaded from the index. */
    public void restore(String filter, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count of " + filter + " must be positive: " + count);
        }
        if (counts.put(filter, count) == null && Topics.isWildcard(filter)) {
            wildcards.add(filter);
        }
    }

    public int count(String filter) {
        return counts.getOrDefault(filter, 0);
    }

    public int size() {
        return counts.size();
    }

    public int wildcardCount() {
        return wildcards.size();
    }

    public void forEach(ObjIntConsumer<String> action) {
        counts.forEach(action::accept);
    }

    public void clear() {
        counts.clear();
        wildcards.clear();
    }

    /** Appends every live filter matching the topic name to {@code out}, each once. */
    public void match(String topicName, List<String> out) {
        if (counts.containsKey(topicName)) {
            out.add(topicName);
        }
        if (wildcards.size() > 0) {
            wildcards.match(Topics.levels(topicName), topicName.startsWith("$"), out);
        }
    }
}
