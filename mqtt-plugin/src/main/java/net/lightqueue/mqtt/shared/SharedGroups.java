package net.lightqueue.mqtt.shared;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.QueueReads;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.host.peer.PeerNetwork;
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
 * The shared subscriptions of the broker. A group subscribes under its own subscriber id
 * ({@link #subscriberId}) in the cluster-wide filter set, so the filter's queue grows in every
 * broker group while the group has members anywhere, connected or not (a member with a
 * persistent session stays a member while it is away). Each broker group assigns the messages
 * of its own queue; a member connected elsewhere takes part through a proxy here
 * ({@link ProxyMembers}) and its own {@link RemoteSharedCursor}. Each membership is
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
    /** The groups of the other broker groups; null while this broker serves alone. */
    private RemoteShares remote;

    /** @param subscriptions the cluster-wide filter set, so every broker group indexes a group's filter */
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

    /**
     * Takes part in the shared subscriptions of the other broker groups, and serves theirs;
     * during the plugin's start, while request handlers may still be added.
     */
    public void serveCluster(PeerNetwork network, Clock clock) {
        new ProxyMembers(network, this, store, timers, clock).startExpiry();
        remote = new RemoteShares(network, settings, timers, clock);
        remote.startKeepAlive();
    }

    /** The group's subscription goes when no broker group holds a member (one that does not answer counts as holding). */
    private CompletableFuture<Void> dropIfUnused(ShareName share) {
        if (store.hasMembers(share.name())) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Boolean> elsewhere = remote == null ? CompletableFuture.completedFuture(false)
            : remote.peersHoldMembers(share.name());
        return elsewhere.thenCompose(held -> held ? CompletableFuture.completedFuture(null)
            : subscriptions.unsubscribe(subscriberId(share), share.filter())
                .thenCompose(done -> store.write(new StateChanges().groupCursor(share.name(), null)))
                .thenApply(applied -> null));
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

    /** The shared subscription groups with members on this broker, for metrics. */
    public int groupCount() {
        return groups.size();
    }

    /**
     * A session's membership joins the group in memory, which loads from its cursor record if
     * needed; the returned cursor delivers what the group assigns to it.
     *
     * @param inflight the session's unacknowledged deliveries, of which the membership's are its own
     * @param wake wakes the session to deliver what was assigned
     */
    public Cursor join(ShareName share, SubscriptionOptions options, Inflight inflight, Runnable wake) {
        SharedMember member = new SharedMember(wake);
        return new SharedCursor(share.name(), options, joinMember(share, member), member, this, inflight);
    }

    /**
     * The same membership in the group at every other broker group: one cursor per peer, each
     * delivering what that group assigned to the member there. None while this broker serves alone.
     */
    public List<Cursor> joinPeers(ShareName share, String clientId, SubscriptionOptions options, Inflight inflight,
                                  Runnable wake) {
        return remote == null ? List.of() : remote.join(share, clientId, options, inflight, wake);
    }

    /** Adds the member to the group in memory, loading the group from its cursor record if needed. */
    SharedGroup joinMember(ShareName share, SharedMember member) {
        while (true) {
            SharedGroup group = groups.computeIfAbsent(share.name(), name -> load(share));
            if (group.join(member)) {
                return group;
            }
            groups.remove(share.name(), group); // closed meanwhile by its last member's leaving
        }
    }

    /**
     * A group without a cursor record here (its subscription came from a peer) starts where its
     * subscription took effect. A record older than the subscription was left by an earlier
     * group of the same name, removed while this broker was not asked: it starts anew too.
     */
    private SharedGroup load(ShareName share) {
        long subscribedAt = subscribedAt(share);
        GroupCursorRecord record = store.groupCursor(share.name());
        if (record == null) {
            record = new GroupCursorRecord(subscribedAt >= 0 ? subscribedAt : queues.maxOffset(share.filter()), List.of());
        } else if (record.nextOffset() < subscribedAt) {
            record = new GroupCursorRecord(subscribedAt,
                record.outstanding().stream().filter(offset -> offset >= subscribedAt).toList());
        }
        SharedGroup group = new SharedGroup(share, settings.sharedSubscriptionStrategy(), queues, record);
        router.add(share.filter(), group);
        return group;
    }

    /**
     * Subscribes the group again if this broker missed its subscription (it was down then, and
     * {@code FilterSetSync} sends sessions' subscriptions, not groups'): a member joining from
     * another broker group shows that the group exists.
     */
    CompletableFuture<Void> subscribedHere(ShareName share) {
        if (subscribedAt(share) >= 0) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("shared subscription '{}' was missing here; subscribed again for a member joining from a peer",
            share.name());
        return subscriptions.subscribe(subscriberId(share), share.filter(), new byte[0]).thenApply(applied -> null);
    }

    /** Where this broker's queue of the group's filter started for the group, or -1 if it is not subscribed here. */
    private long subscribedAt(ShareName share) {
        for (SubscriptionRecord subscription : subscriptions.subscriptionsOf(subscriberId(share))) {
            if (subscription.filter().equals(share.filter())) {
                return subscription.startOffset();
            }
        }
        return -1;
    }

    /** The member leaves memory; the last one records the group's cursor and takes the group out of memory. */
    void leave(SharedGroup group, SharedMember member) {
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
