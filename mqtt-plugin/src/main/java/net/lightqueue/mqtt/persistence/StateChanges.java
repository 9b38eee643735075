package net.lightqueue.mqtt.persistence;

import java.util.ArrayList;
import java.util.List;
import net.lightqueue.dispatch.StateChange;

/** Changes to the session state families that must be applied together, in one commitlog event. */
public final class StateChanges {

    private final List<StateChange> changes = new ArrayList<>();

    public StateChanges session(String clientId, SessionRecord record) {
        changes.add(StateChange.put(StateFamilies.SESSIONS, StateKeys.client(clientId), record.encode()));
        return this;
    }

    public StateChanges deleteSession(String clientId) {
        changes.add(StateChange.delete(StateFamilies.SESSIONS, StateKeys.client(clientId)));
        return this;
    }

    public StateChanges will(String clientId, WillRecord will) {
        byte[] key = StateKeys.client(clientId);
        changes.add(will == null ? StateChange.delete(StateFamilies.WILLS, key)
            : StateChange.put(StateFamilies.WILLS, key, will.encode()));
        return this;
    }

    /** Records the progress in a filter's queue; null forgets it (the filter was unsubscribed). */
    public StateChanges progress(String clientId, String filter, ProgressRecord progress) {
        byte[] key = StateKeys.progress(clientId, filter);
        changes.add(progress == null ? StateChange.delete(StateFamilies.PROGRESS, key)
            : StateChange.put(StateFamilies.PROGRESS, key, progress.encode()));
        return this;
    }

    /**
     * Records that the client's QoS 2 publish with this packet id was stored and answered with
     * PUBREC (true), or that its PUBREL came (false) [MQTT-4.3.3-9..12].
     */
    public StateChanges receivedQos2(String clientId, int packetId, boolean awaitingPubRel) {
        byte[] key = StateKeys.received(clientId, packetId);
        changes.add(awaitingPubRel ? StateChange.put(StateFamilies.PROGRESS, key, new byte[0])
            : StateChange.delete(StateFamilies.PROGRESS, key));
        return this;
    }

    public StateChanges groupCursor(String shareName, GroupCursorRecord cursor) {
        byte[] key = StateKeys.groupCursor(shareName);
        changes.add(cursor == null ? StateChange.delete(StateFamilies.SHARED, key)
            : StateChange.put(StateFamilies.SHARED, key, cursor.encode()));
        return this;
    }

    /** Records a client's shared subscription with its options; null options remove it. */
    public StateChanges membership(String clientId, String shareName, byte[] options) {
        byte[] byClient = StateKeys.membership(clientId, shareName);
        byte[] byGroup = StateKeys.member(shareName, clientId);
        if (options == null) {
            changes.add(StateChange.delete(StateFamilies.SHARED, byClient));
            changes.add(StateChange.delete(StateFamilies.SHARED, byGroup));
        } else {
            changes.add(StateChange.put(StateFamilies.SHARED, byClient, options));
            changes.add(StateChange.put(StateFamilies.SHARED, byGroup, new byte[0]));
        }
        return this;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    List<StateChange> list() {
        return changes;
    }
}
