package net.lightqueue.mqtt.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;

/**
 * A session's shared subscriptions: per share name a member cursor in this broker group's group
 * and one in each peer's group, each delivered on its own. A session makes it at its first join
 * only, since most have none and its maps cost 128 bytes per connection.
 */
final class Memberships {

    /** The members in this broker group's groups, whose groups record their progress and hand out messages. */
    private final Map<String, Cursor> local = new LinkedHashMap<>();
    /** The same memberships in the other broker groups' groups, which hand out their own messages. */
    private final Map<String, List<Cursor>> onPeers = new HashMap<>();
    /** Every membership cursor, local and remote. */
    private final List<Cursor> all = new ArrayList<>();

    boolean has(String shareName) {
        return local.containsKey(shareName);
    }

    Set<String> shareNames() {
        return local.keySet();
    }

    List<Cursor> cursors() {
        return all;
    }

    /** Replaces the options of a membership held already; false if there is none. */
    boolean changeOptions(String shareName, SubscriptionOptions options) {
        Cursor existing = local.get(shareName);
        if (existing == null) {
            return false;
        }
        existing.options(options);
        onPeers.getOrDefault(shareName, List.of()).forEach(cursor -> cursor.options(options));
        return true;
    }

    void add(String shareName, Cursor member, List<Cursor> peerMembers) {
        local.put(shareName, member);
        all.add(member);
        if (!peerMembers.isEmpty()) {
            onPeers.put(shareName, peerMembers);
            all.addAll(peerMembers);
        }
    }

    /** Leaves the groups of the share name in every broker group; false if not a member. */
    boolean leave(String shareName) {
        Cursor member = local.remove(shareName);
        if (member == null) {
            return false;
        }
        List<Cursor> peerMembers = onPeers.remove(shareName);
        if (peerMembers != null) {
            peerMembers.forEach(cursor -> cursor.close(true));
            all.removeAll(peerMembers);
        }
        all.remove(member);
        member.close(true);
        return true;
    }

    /** Stops every member without leaving its group; adds what each still records to {@code recorded}. */
    void release(List<CompletableFuture<?>> recorded) {
        all.forEach(cursor -> recorded.add(cursor.close(false)));
        local.clear();
        onPeers.clear();
        all.clear();
    }
}
