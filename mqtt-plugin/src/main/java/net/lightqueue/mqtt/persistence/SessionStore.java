package net.lightqueue.mqtt.persistence;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import net.lightqueue.dispatch.ProtocolState;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.SubscriptionTable;

/**
 * The sessions as the commitlog made them: reads come from the dispatcher's derived state,
 * every change is a commitlog event ({@link #write}) that completes once it can be read back.
 * A session's subscriber id towards the dispatcher is its client id, stable across restarts.
 */
public final class SessionStore {

    private final ProtocolState state;
    private final SubscriptionTable subscriptions;

    public SessionStore(ProtocolState state, SubscriptionTable subscriptions) {
        this.state = state;
        this.subscriptions = subscriptions;
    }

    public SessionRecord session(String clientId) {
        byte[] value = state.readState(StateFamilies.SESSIONS, StateKeys.client(clientId));
        return value == null ? null : SessionRecord.decode(value);
    }

    public WillRecord will(String clientId) {
        byte[] value = state.readState(StateFamilies.WILLS, StateKeys.client(clientId));
        return value == null ? null : WillRecord.decode(value);
    }

    /** The session's progress records by filter. */
    public Map<String, ProgressRecord> progress(String clientId) {
        byte[] prefix = StateKeys.progressPrefix(clientId);
        Map<String, ProgressRecord> progress = new HashMap<>();
        state.scanState(StateFamilies.PROGRESS, prefix, (key, value) -> {
            if (!StateKeys.isReceived(key, prefix.length)) {
                progress.put(StateKeys.text(key, prefix.length), ProgressRecord.decode(value));
            }
            return true;
        });
        return progress;
    }

    /** The packet ids of the client's QoS 2 publishes that were answered with PUBREC and await PUBREL. */
    public Set<Integer> receivedQos2(String clientId) {
        Set<Integer> packetIds = new HashSet<>();
        state.scanState(StateFamilies.PROGRESS, StateKeys.receivedPrefix(clientId), (key, value) -> {
            packetIds.add(StateKeys.receivedPacketId(key));
            return true;
        });
        return packetIds;
    }

    public List<SubscriptionRecord> subscriptions(String clientId) {
        return subscriptions.subscriptionsOf(clientId);
    }

    /** The client's shared subscriptions: share name to options. */
    public Map<String, byte[]> memberships(String clientId) {
        byte[] prefix = StateKeys.membershipPrefix(clientId);
        Map<String, byte[]> memberships = new HashMap<>();
        state.scanState(StateFamilies.SHARED, prefix, (key, value) -> {
            memberships.put(StateKeys.text(key, prefix.length), value);
            return true;
        });
        return memberships;
    }

    /** Whether any session, connected or not, is a member of the group. */
    public boolean hasMembers(String shareName) {
        boolean[] found = {false};
        state.scanState(StateFamilies.SHARED, StateKeys.memberPrefix(shareName), (key, value) -> {
            found[0] = true;
            return false;
        });
        return found[0];
    }

    public GroupCursorRecord groupCursor(String shareName) {
        byte[] value = state.readState(StateFamilies.SHARED, StateKeys.groupCursor(shareName));
        return value == null ? null : GroupCursorRecord.decode(value);
    }

    public void forEachSession(BiConsumer<String, SessionRecord> visitor) {
        state.scanState(StateFamilies.SESSIONS, new byte[0], (key, value) -> {
            visitor.accept(StateKeys.text(key, 0), SessionRecord.decode(value));
            return true;
        });
    }

    public CompletableFuture<Long> write(StateChanges changes) {
        return changes.isEmpty() ? CompletableFuture.completedFuture(0L) : state.writeState(changes.list());
    }

    /**
     * Withdraws all of a session's subscriptions; the returned changes remove its will,
     * progress, received QoS 2 packet ids and shared subscriptions, and the caller adds what
     * becomes of the session record. Subscriptions go first: a crash in between leaves a
     * session record that the next start discards again.
     */
    public CompletableFuture<StateChanges> discard(String clientId) {
        return subscriptions.unsubscribeAll(clientId).thenApply(done -> {
            StateChanges changes = new StateChanges().will(clientId, null);
            progress(clientId).keySet().forEach(filter -> changes.progress(clientId, filter, null));
            receivedQos2(clientId).forEach(packetId -> changes.receivedQos2(clientId, packetId, false));
            memberships(clientId).keySet().forEach(shareName -> changes.membership(clientId, shareName, null));
            return changes;
        });
    }
}
