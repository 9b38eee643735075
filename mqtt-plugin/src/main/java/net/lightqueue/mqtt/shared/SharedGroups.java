package net.lightqueue.mqtt.shared;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.QueueReads;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.ArrivalRouter;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.persistence.ClientOrder;
import net.lightqueue.mqtt.persistence.GroupCursorRecord;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateChanges;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The shared subscriptions of the broker. A group subscribes to the dispatcher under its own
 * subscriber id ({@link #subscriberId}), so the filter's queue grows while the group has
 * members, connected or not (a member with a persistent session stays a member while it is
 * away). Each membership is
 * a record in the commitlog, and so is the group's cursor, written in batches like a session's
 * progress. A group is in memory only while members are connected. The steps of one group run
 * in order, so a cursor write never overtakes the group's removal.
 */
public final class SharedGroups {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.shared");

    private final MqttSettings settings;
    private final QueueReads queues;
    private final SubscriptionTable subscriptions;
    private final SessionStore store;
    private final ArrivalRouter router;
    private final ScheduledExecutorService timers;
    private final ConcurrentMap<String, SharedGroup> groups = new ConcurrentHashMap<>();
    private final ConcurrentMap<SharedGroup, Boolean> recordPending = new ConcurrentHashMap<>();
    private final ClientOrder order = new ClientOrder();

    public SharedGroups(MqttSettings settings, QueueReads queues, SubscriptionTable subscriptions, SessionStore store,
                        ArrivalRouter router, ScheduledExecutorService timers) {
        this.settings = settings;
        this.queues = queues;
        this.subscriptions = subscriptions;
        this.store = store;
        this.router = router;
        this.timers = timers;
    }

    /** Records the client as a member: first the group's own subscription, then the membership. */
    public CompletableFuture<Void> subscribe(String clientId, ShareName share, byte[] options) {
        return order.run(share.name(), timers, () -> subscriptions.subscribe(subscriberId(share), share.filter(), new byte[0])
            .thenCompose(applied -> {
                StateChanges changes = new StateChanges().membership(clientId, share.name(), options);
                if (store.groupCursor(share.name()) == null) {
                    changes.groupCursor(share.name(), new GroupCursorRecord(applied.startOffset(), List.of()));
                }
                return store.write(changes);
            })
            .thenApply(applied -> null));
    }

    /** Removes the client's membership; the group's subscription and cursor go with its last member. */
    public CompletableFuture<Void> unsubscribe(String clientId, ShareName share) {
        return order.run(share.name(), timers, () -> store.write(new StateChanges().membership(clientId, share.name(), null))
            .thenCompose(applied -> dropIfUnused(share)));
    }

    /** After sessions were discarded with their memberships: removes the groups they were the last members of. */
    public void membershipsDiscarded(Iterable<String> shareNames) {
        for (String name : shareNames) {
            ShareName share = ShareName.parse(name);
            order.run(name, timers, () -> dropIfUnused(share)).exceptionally(failure -> {
                LOG.warn("shared subscription '{}' not removed: {}", name, failure.toString());
                return null;
            });
        }
    }

    private CompletableFuture<Void> dropIfUnused(ShareName share) {
        if (store.hasMembers(share.name())) {
            return CompletableFuture.completedFuture(null);
        }
        return subscriptions.unsubscribe(subscriberId(share), share.filter())
            .thenCompose(done -> store.write(new StateChanges().groupCursor(share.name(), null)))
            .thenApply(applied -> null);
    }

    /**
     * The group's subscriber id towards the dispatcher: U+FFFD and the share name. A session's is
     * its client id, which never contains U+FFFD (the server refuses it in every MQTT string as
     * the trace of invalid UTF-8, see {@link net.lightqueue.mqtt.codec.MqttStrings}), so a client
     * whose id looks like a share name ({@code $share/g/t}) has subscriptions of its own, and its
     * session's end leaves the group's alone.
     */
    public static String subscriberId(ShareName share) {
        return '\uFFFD' + share.name();
    }

    /**
     * A session's membership joins the group in memory, which loads from its cursor record if
     * needed; the returned cursor delivers what the group assigns to it.
     *
     * @param inflight the session's unacknowledged deliveries, of which the membership's are its own
     * @param wake wakes the session to deliver what was assigned
     */
    public Cursor join(ShareName share, SubscriptionOptions options, Inflight inflight, Runnable wake) {
        while (true) {
            SharedGroup group = groups.computeIfAbsent(share.name(), name -> load(share));
            SharedCursor member = new SharedCursor(share.name(), options, group, this, inflight, wake);
            if (group.join(member)) {
                return member;
            }
            groups.remove(share.name(), group); // closed meanwhile by its last member's leaving
        }
    }

    private SharedGroup load(ShareName share) {
        GroupCursorRecord record = store.groupCursor(share.name());
        SharedGroup group = new SharedGroup(share, settings.sharedSubscriptionStrategy(), queues,
            record != null ? record : new GroupCursorRecord(queues.maxOffset(share.filter()), List.of()));
        router.add(share.filter(), group);
        return group;
    }

    /** The member leaves memory; the last one records the group's cursor and takes the group out of memory. */
    void leave(SharedCursor member) {
        SharedGroup group = member.group;
        if (group.leave(member)) {
            record(group).thenRun(() -> {
                if (group.closeIfEmpty()) {
                    groups.remove(group.share().name(), group);
                    router.remove(group.share().filter(), group);
                }
            });
        }
    }

    /** Deliveries of the group completed: its cursor is recorded per batch, or after the interval. */
    void completed(SharedGroup group) {
        if (group.completedSinceSnapshot() >= settings.progressBatchSize()) {
            record(group);
        } else if (recordPending.putIfAbsent(group, Boolean.TRUE) == null) {
            timers.schedule(() -> {
                recordPending.remove(group);
                record(group);
            }, settings.progressIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the group's cursor as it is when the write's turn comes. */
    CompletableFuture<Void> record(SharedGroup group) {
        String name = group.share().name();
        return order.run(name, timers, () -> groups.get(name) != group ? CompletableFuture.completedFuture(null)
            : store.write(new StateChanges().groupCursor(name, group.snapshot())).thenApply(applied -> (Void) null))
            .exceptionally(failure -> {
                LOG.warn("cursor of shared subscription '{}' not recorded: {}", name, failure.toString());
                return null;
            });
    }
}
