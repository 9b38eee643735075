package net.lightqueue.mqtt.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;

/**
 * A session's cursors by filter (or by share name): per key one cursor over this broker group's
 * queue or group, and one over each peer's, opened, changed and closed together. A session keeps
 * its own subscriptions in one and its shared subscriptions in another, made at its first join,
 * since most sessions have none.
 */
final class FilterCursors {

    /** The cursors over this broker group's queues or groups, in the order they came. */
    private final Map<String, Cursor> local = new LinkedHashMap<>(2); // most clients have one or two
    /** The same keys' cursors over the other broker groups'; made with the first (48 bytes otherwise). */
    private Map<String, List<Cursor>> onPeers;
    /**
     * Every cursor, local and on peers, in the order they came; made with the first cursor on a
     * peer (48 bytes otherwise): until then the local cursors are all of them.
     */
    private List<Cursor> withPeers;

    boolean has(String key) {
        return local.containsKey(key);
    }

    /** The cursor over this broker group's queue or group, or null. */
    Cursor local(String key) {
        return local.get(key);
    }

    Set<String> keys() {
        return local.keySet();
    }

    Collection<Cursor> locals() {
        return local.values();
    }

    void forEachLocal(BiConsumer<String, Cursor> action) {
        local.forEach(action);
    }

    Collection<Cursor> all() {
        return withPeers != null ? withPeers : local.values();
    }

    List<Cursor> peers(String key) {
        return onPeers == null ? List.of() : onPeers.getOrDefault(key, List.of());
    }

    /** Replaces the options of a key held already, on every broker group; false if there is none. */
    boolean changeOptions(String key, SubscriptionOptions options) {
        Cursor existing = local.get(key);
        if (existing == null) {
            return false;
        }
        existing.options(options);
        peers(key).forEach(cursor -> cursor.options(options));
        return true;
    }

    void add(String key, Cursor cursor, List<Cursor> peerCursors) {
        local.put(key, cursor);
        if (withPeers != null) {
            withPeers.add(cursor);
        }
        peerCursors.forEach(peerCursor -> addPeer(key, peerCursor));
    }

    void addPeer(String key, Cursor peerCursor) {
        if (onPeers == null) {
            onPeers = new HashMap<>();
        }
        if (withPeers == null) {
            withPeers = new ArrayList<>(local.values());
        }
        onPeers.computeIfAbsent(key, absent -> new ArrayList<>()).add(peerCursor);
        withPeers.add(peerCursor);
    }

    /** Closes the key's cursors for good (unsubscribed, or left the group) and forgets them; false if not held. */
    boolean remove(String key) {
        Cursor cursor = local.remove(key);
        if (cursor == null) {
            return false;
        }
        List<Cursor> peerCursors = onPeers == null ? null : onPeers.remove(key);
        if (peerCursors != null) {
            peerCursors.forEach(peerCursor -> peerCursor.close(true));
            withPeers.removeAll(peerCursors);
        }
        if (withPeers != null) {
            withPeers.remove(cursor);
        }
        cursor.close(true);
        return true;
    }

    /** Stops every cursor, keeping its subscription; adds what each still records to {@code recorded}. */
    void release(List<CompletableFuture<?>> recorded) {
        all().forEach(cursor -> recorded.add(cursor.close(false)));
        local.clear();
        onPeers = null;
        withPeers = null;
    }
}
