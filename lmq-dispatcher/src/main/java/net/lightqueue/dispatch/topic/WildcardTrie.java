package net.lightqueue.dispatch.topic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wildcard filters as a tree of levels. Matching a name walks one path per wildcard branch,
 * so its cost depends on the name's depth and on how many wildcard shapes overlap, not on the
 * number of filters. Not thread-safe.
 */
final class WildcardTrie {

    private static final class Node {
        /** Children by literal level; created lazily, most nodes are leaves. */
        Map<String, Node> children;
        Node plus;
        /** The filter ending in {@code #} right below this node. */
        String hashFilter;
        /** The filter ending at this node (its last level is {@code +} or a literal after a wildcard). */
        String filter;

        boolean isEmpty() {
            return (children == null || children.isEmpty()) && plus == null && hashFilter == null && filter == null;
        }
    }

    private Node root = new Node();
    private int size;

    void clear() {
        root = new Node();
        size = 0;
    }

    int size() {
        return size;
    }

    void add(String filter) {
        String[] levels = Topics.levels(filter);
        Node node = root;
        int last = levels.length - 1;
        for (int i = 0; i < last; i++) {
            node = child(node, levels[i]);
        }
        if (levels[last].equals("#")) {
            if (node.hashFilter == null) {
                node.hashFilter = filter;
                size++;
            }
            return;
        }
        node = child(node, levels[last]);
        if (node.filter == null) {
            node.filter = filter;
            size++;
        }
    }

    private static Node child(Node node, String level) {
        if (level.equals("+")) {
            if (node.plus == null) {
                node.plus = new Node();
            }
            return node.plus;
        }
        if (node.children == null) {
            node.children = new HashMap<>(4);
        }
        return node.children.computeIfAbsent(level, l -> new Node());
    }

    void remove(String filter) {
        if (remove(root, Topics.levels(filter), 0, filter)) {
            size--;
        }
    }

    /** Removes the filter below {@code node} and prunes the nodes left empty; whether it was there. */
    private static boolean remove(Node node, String[] levels, int depth, String filter) {
        String level = levels[depth];
        boolean last = depth == levels.length - 1;
        if (last && level.equals("#")) {
            boolean present = filter.equals(node.hashFilter);
            node.hashFilter = null;
            return present;
        }
        Node child = level.equals("+") ? node.plus : node.children == null ? null : node.children.get(level);
        if (child == null) {
            return false;
        }
        boolean removed;
        if (last) {
            removed = filter.equals(child.filter);
            child.filter = null;
        } else {
            removed = remove(child, levels, depth + 1, filter);
        }
        if (child.isEmpty()) {
            if (level.equals("+")) {
                node.plus = null;
            } else {
                node.children.remove(level);
            }
        }
        return removed;
    }

    /** Adds every wildcard filter matching {@code levels} to {@code out}, each once. */
    void match(String[] levels, boolean dollarTopic, List<String> out) {
        match(root, levels, 0, dollarTopic, out);
    }

    private static void match(Node node, String[] levels, int depth, boolean dollarTopic, List<String> out) {
        boolean wildcardsAllowed = depth > 0 || !dollarTopic;
        if (node.hashFilter != null && wildcardsAllowed) {
            out.add(node.hashFilter);
        }
        if (depth == levels.length) {
            if (node.filter != null) {
                out.add(node.filter);
            }
            return;
        }
        if (node.plus != null && wildcardsAllowed) {
            match(node.plus, levels, depth + 1, dollarTopic, out);
        }
        if (node.children != null) {
            Node child = node.children.get(levels[depth]);
            if (child != null) {
                match(child, levels, depth + 1, dollarTopic, out);
            }
        }
    }
}
