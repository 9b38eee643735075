package net.lightqueue.mqtt.publish;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateChanges;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The packet ids of the QoS 2 publishes the client sent that were stored and answered with
 * PUBREC and await PUBREL: a PUBLISH with such an id is the same message again and is not
 * stored twice [MQTT-4.3.3-10]. Part of the session state (MQTT 3.1.1 section 4.1, MQTT 5
 * section 4.1), so it moves with the session on takeover, and a session that outlives its
 * connection records every change in the commitlog (one state event per PUBREC and one per
 * PUBREL) before the client hears of it; a session without expiry keeps it in heap only.
 *
 * <p>Thread-safe: a connection that lost the session to a takeover may still finish a write.
 */
public final class ReceivedQos2 {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.publish");

    private final String clientId;
    private final SessionStore store;
    /** Made by the first QoS 2 publish or restore: most clients never send one, and an empty set costs 88 bytes. */
    private volatile Set<Integer> packetIds;
    private volatile boolean persistent;

    public ReceivedQos2(String clientId, SessionStore store) {
        this.clientId = clientId;
        this.store = store;
    }

    /** The ids a stored session had recorded, before a connection uses it: they are in the commitlog already. */
    public void restore(Set<Integer> recorded) {
        if (!recorded.isEmpty()) {
            packetIds().addAll(recorded);
        }
        persistent = true;
    }

    /** Whether changes are recorded; a session that becomes persistent records what it holds. */
    public void persistent(boolean outlivesConnection) {
        Set<Integer> held = packetIds;
        if (outlivesConnection && !persistent && held != null && !held.isEmpty()) {
            StateChanges changes = new StateChanges();
            held.forEach(packetId -> changes.receivedQos2(clientId, packetId, true));
            logged(store.write(changes), "received QoS 2 packet ids");
        }
        persistent = outlivesConnection;
    }

    public boolean contains(int packetId) {
        Set<Integer> held = packetIds;
        return held != null && held.contains(packetId);
    }

    /**
     * The publish was stored: completes once the id is recorded, so PUBREC may be sent. When the
     * record fails the id is forgotten: PUBREC refuses the message, so the client may use the id
     * for its next one, which must not be taken for a resend.
     */
    public CompletableFuture<?> add(int packetId) {
        Set<Integer> held = packetIds();
        held.add(packetId);
        if (!persistent) {
            return CompletableFuture.completedFuture(null);
        }
        return logged(store.write(new StateChanges().receivedQos2(clientId, packetId, true)),
            "received QoS 2 packet id " + packetId).whenComplete((done, failure) -> {
                if (failure != null) {
                    held.remove(packetId);
                }
            });
    }

    /** PUBREL came: completes once the id is forgotten in the commitlog too, so PUBCOMP may be sent. */
    public CompletableFuture<?> release(int packetId) {
        Set<Integer> held = packetIds;
        boolean removed = held != null && held.remove(packetId);
        return removed && persistent ? logged(store.write(new StateChanges().receivedQos2(clientId, packetId, false)),
            "release of QoS 2 packet id " + packetId) : CompletableFuture.completedFuture(null);
    }

    private Set<Integer> packetIds() {
        Set<Integer> held = packetIds;
        if (held == null) {
            synchronized (this) { // made once even if an ending connection's thread and the session's raced
                held = packetIds;
                if (held == null) {
                    held = ConcurrentHashMap.newKeySet();
                    packetIds = held;
                }
            }
        }
        return held;
    }

    /** Logs a failed write and passes the failure on: the caller must not acknowledge what was not recorded. */
    private CompletableFuture<?> logged(CompletableFuture<?> write, String what) {
        return write.whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("{} of client '{}' not recorded: {}", what, clientId, failure.toString());
            }
        });
    }
}
