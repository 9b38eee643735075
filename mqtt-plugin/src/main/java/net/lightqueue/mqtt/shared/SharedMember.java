package net.lightqueue.mqtt.shared;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import net.lightqueue.dispatch.StoredMessage;

/**
 * A member as its group sees it: what was assigned to it and how much more it may take. A
 * session's membership on this broker ({@link SharedCursor}) is one, and so is a session's on
 * another broker group, through its proxy ({@link ProxyMembers}). All fields are guarded by
 * the group.
 */
final class SharedMember {

    /** Tells the member that the group assigned it messages; under the group's lock, so it must not block. */
    final Runnable wake;
    /** Messages assigned to this member and not yet taken, at most its window. */
    final ArrayDeque<StoredMessage> assigned = new ArrayDeque<>();
    /** Queue offsets assigned to this member and not completed (assigned or unacknowledged). */
    final Set<Long> outstanding = new HashSet<>();
    int window = 1;

    SharedMember(Runnable wake) {
        this.wake = wake;
    }
}
