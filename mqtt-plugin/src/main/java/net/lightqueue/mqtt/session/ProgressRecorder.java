package net.lightqueue.mqtt.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.DeliveryProgress;
import net.lightqueue.mqtt.persistence.StateChanges;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Writes a persistent session's progress in its queues to the commitlog in batches: after
 * {@code mqttProgressBatchSize} completed deliveries, or {@code mqttProgressIntervalMs} after
 * the first unrecorded change, whichever comes first. Confined to the session's event loop.
 * What a crash can lose is the last unrecorded batch, which is then delivered again.
 *
 * <p>Records a caller must wait for (a QoS 2 PUBREC before its PUBREL, QoS 2 packet ids before
 * their PUBLISH) are written once per event-loop turn, for everything asked in that turn: a
 * record holds every unacknowledged delivery of its queue, so one per PUBREC would cost the
 * square of the window when a client acknowledges a backlog.
 */
final class ProgressRecorder implements DeliveryProgress {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.session");

    private final Session session;
    private final SessionServices services;
    // Made when the session first becomes persistent: a session without expiry never records.
    /** Cursors changed since the last write, by filter; null for a filter that was unsubscribed. */
    private Map<String, Cursor> changed;
    private int completed;
    private boolean timerSet;
    private boolean enabled;
    /** Who waits for the records asked for in this event-loop turn, in the order they asked. */
    private List<CompletableFuture<Long>> urgent;

    ProgressRecorder(Session session, SessionServices services) {
        this.session = session;
        this.services = services;
    }

    /** Only sessions that outlive their connection record progress; enabling records every cursor. */
    void enabled(boolean persistent, Iterable<Cursor> cursors) {
        if (persistent && changed == null) {
            changed = new HashMap<>();
            urgent = new ArrayList<>();
        }
        if (persistent && !enabled) {
            cursors.forEach(cursor -> changed.put(cursor.name(), cursor));
        }
        enabled = persistent;
        timerSet = false; // a timer or write of a previous connection finds no loop to run on
        if (urgent != null) {
            urgent.clear();
        }
    }

    @Override
    public void advanced(Cursor cursor, int deliveriesCompleted) {
        if (!enabled) {
            return;
        }
        changed.put(cursor.name(), cursor);
        completed += deliveriesCompleted;
        if (completed >= services.settings().progressBatchSize()) {
            write();
        } else if (!timerSet) {
            timerSet = true;
            services.timers().schedule(() -> session.onLoop(this::onTimer),
                services.settings().progressIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void removed(Cursor cursor) {
        if (enabled) {
            changed.put(cursor.name(), null);
        }
    }

    /**
     * Records the cursor, with everything else pending, at the end of this event-loop turn: the
     * caller waits for it (PUBREC before PUBREL).
     */
    @Override
    public CompletableFuture<?> recordThisTurn(Cursor cursor) {
        if (!enabled) {
            return CompletableFuture.completedFuture(null);
        }
        changed.put(cursor.name(), cursor);
        if (urgent.isEmpty()) {
            session.onLoop(this::writeUrgent);
        }
        // One future each, completed in order: a shared one would run its callers' PUBRELs last first.
        CompletableFuture<Long> recorded = new CompletableFuture<>();
        urgent.add(recorded);
        return recorded;
    }

    /**
     * Adds every cursor and the unrecorded removals to the session's final write, and stops
     * batching. Only for a session whose connection made it persistent: a DISCONNECT cannot
     * give an expiry to a session that had none [MQTT-3.14.2-2].
     */
    void drainInto(StateChanges changes, Iterable<Cursor> cursors) {
        cursors.forEach(cursor -> changed.put(cursor.name(), cursor));
        addChanged(changes);
        enabled = false;
    }

    private void writeUrgent() {
        List<CompletableFuture<Long>> waiting = List.copyOf(urgent);
        urgent.clear();
        // Disabled: drained into the session's final write, its connection is closing.
        CompletableFuture<Long> written = enabled ? write() : CompletableFuture.completedFuture(null);
        written.whenComplete((applied, failure) -> waiting.forEach(recorded -> {
            if (failure != null) {
                recorded.completeExceptionally(failure);
            } else {
                recorded.complete(applied);
            }
        }));
    }

    private void onTimer() {
        timerSet = false;
        if (enabled && !changed.isEmpty()) {
            write();
        }
    }

    private CompletableFuture<Long> write() {
        StateChanges changes = new StateChanges();
        addChanged(changes);
        return services.store().write(changes).whenComplete((applied, failure) -> {
            if (failure != null) {
                LOG.warn("progress of session '{}' was not recorded: {}", session.clientId(), failure.toString());
            }
        });
    }

    private void addChanged(StateChanges changes) {
        changed.forEach((filter, cursor) ->
            changes.progress(session.clientId(), filter, cursor == null ? null : session.progressOf(cursor)));
        changed.clear();
        completed = 0;
    }
}
