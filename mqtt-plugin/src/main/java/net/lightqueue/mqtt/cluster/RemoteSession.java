package net.lightqueue.mqtt.cluster;

import net.lightqueue.host.peer.Peer;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.persistence.ProgressRecord;

/** What a session lends the cursors it holds on other broker groups' queues. */
public interface RemoteSession {

    String clientId();

    /** Schedules a delivery pass on the session's event loop; from any thread. */
    void wake();

    /** Runs the task on the session's event loop, or drops it while no connection holds the session. */
    void onLoop(Runnable task);

    /** Whether the session outlives its connection, so its progress is recorded. */
    boolean persistent();

    /** The cursor's progress as it stands, with its unacknowledged deliveries; on the event loop. */
    ProgressRecord progressOf(Cursor cursor);

    /** A broker group joined the cluster: the session reads its queues from now on; on the event loop. */
    void peerJoined(Peer peer);
}
