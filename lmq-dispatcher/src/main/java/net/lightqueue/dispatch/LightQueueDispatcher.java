package net.lightqueue.dispatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import net.lightqueue.dispatch.engine.AppliedEvent;
import net.lightqueue.dispatch.engine.ArrivalSignals;
import net.lightqueue.dispatch.engine.CommitLogLag;
import net.lightqueue.dispatch.engine.CommitLogApplier;
import net.lightqueue.dispatch.engine.EventWriter;
import net.lightqueue.dispatch.engine.IndexRecovery;
import net.lightqueue.dispatch.engine.MessageReader;
import net.lightqueue.dispatch.engine.RetainedLookup;
import net.lightqueue.dispatch.engine.SubscribeBarrier;
import net.lightqueue.dispatch.event.ClientSendGuard;
import net.lightqueue.dispatch.event.EventTopic;
import net.lightqueue.dispatch.event.FilterEvent;
import net.lightqueue.dispatch.event.StateEvent;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.host.spi.PluginContext;
import net.lightqueue.index.IndexException;
import net.lightqueue.index.LightQueueIndex;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The light queues of one broker: opens the index, hooks the dispatcher into the broker's
 * dispatch and recovery, and serves {@link LightQueues}.
 *
 * <p>Lifecycle, following the protocol plugin's: {@link #open} in the plugin's
 * {@code load(PluginContext)} (before the store recovers, so recovery replays the commitlog into
 * the dispatcher); {@link #start} in its {@code start()}; {@link #stop} in its {@code stop()}.
 *
 * <p>State and recovery: the index lives in {@code dataDir()/index}. Everything in it is derived
 * from the commitlog and written with the checkpoint it covers in one atomic write, so after a
 * crash it is a consistent prefix and the broker's recovery (or this dispatcher's own catch-up,
 * for what lies outside the broker's recovery window) re-applies the rest. If the directory is
 * deleted, the next start rebuilds it from the oldest commitlog file still retained; filter
 * events in files already deleted by retention are lost with them.
 */
public final class LightQueueDispatcher implements LightQueues {

    private static final Logger LOG = LoggerFactory.getLogger(LightQueueDispatcher.class);
    /** How often an uncommitted batch is committed if the broker's dispatch did not do it. */
    private static final long COMMIT_SAFETY_NET_MS = 10;
    /** How often a failed index is checked for a due recovery attempt (the attempts back off on their own). */
    private static final long RECOVERY_POLL_MS = 100;

    private final PluginContext context;
    private final DispatcherOptions options;
    private final LightQueueIndex index;
    /** The protocol state families the plugin declared. */
    private final Set<String> stateFamilies;
    private final ArrivalSignals signals = new ArrivalSignals();
    private final SubscribeBarrier barrier = new SubscribeBarrier();
    private final CommitLogApplier applier;
    private final MessageReader reader;
    private final RetainedLookup retained;
    private final IndexRecovery recovery;
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lmq-index-maintenance");
        thread.setDaemon(true);
        return thread;
    });
    private volatile EventWriter writer;
    private long retainedFrom;

    private LightQueueDispatcher(PluginContext context, DispatcherOptions options, Set<String> stateFamilies) {
        this.context = context;
        this.options = options;
        this.stateFamilies = Set.copyOf(stateFamilies);
        this.index = LightQueueIndex.open(indexDir(context),
            options.indexOptions(CommitLogApplier.indexFamilies(this.stateFamilies)));
        this.reader = new MessageReader(index, context.defaultMessageStore(), options.mqttIndexReadCacheSize,
            (long) options.mqttIndexReadCacheMb << 20);
        // A rebuild reuses commitlog offsets of messages that are gone: forget those decoded.
        this.applier = new CommitLogApplier(index, context.defaultMessageStore(), signals, barrier,
            options.mqttIndexBatchMaxMessages, this.stateFamilies, reader::forgetCached);
        this.retained = new RetainedLookup(index);
        this.recovery = new IndexRecovery(applier);
    }

    /**
     * Opens the index and registers the dispatcher and its recovery checkpoint with the broker.
     * Call from the plugin's {@code load}.
     *
     * @param stateFamilies the families of the plugin's own state ({@link ProtocolState}); each is
     *                      created if the index does not hold it yet. A family the index holds
     *                      from an earlier open but that is no longer declared is kept on disk,
     *                      untouched and unreadable, and events changing it are skipped.
     * @throws IllegalArgumentException if a family name is not {@code [A-Za-z0-9_-]+} or is one
     *                                  of the dispatcher's own
     */
    public static LightQueueDispatcher open(PluginContext context, DispatcherOptions options,
        Set<String> stateFamilies) {
        LightQueueDispatcher dispatcher = new LightQueueDispatcher(context, options, stateFamilies);
        context.registerDispatchStore(dispatcher.applier);
        context.addDispatcher(dispatcher.applier);
        LOG.info("light-queue index opened at {}, checkpoint {}", indexDir(context),
            dispatcher.applier.checkpoint());
        return dispatcher;
    }

    private static Path indexDir(PluginContext context) {
        return context.dataDir().resolve("index");
    }

    /** Catches up with the recovered commitlog and starts signalling. Call from the plugin's {@code start}. */
    public void start() {
        EventTopic.ensureExists(context.brokerController().getTopicConfigManager());
        PublicationTopic.ensureExists(context.brokerController().getTopicConfigManager());
        ClientSendGuard.install(context.brokerController(), Set.of(EventTopic.NAME, PublicationTopic.NAME));
        writer = new EventWriter(context::messageStore, context.brokerController().getStoreHost(), barrier);
        applier.catchUpToEnd();
        retainedFrom = context.defaultMessageStore().getMinPhyOffset();
        signals.start();
        maintenance.scheduleWithFixedDelay(this::commitSafetyNet, COMMIT_SAFETY_NET_MS, COMMIT_SAFETY_NET_MS,
            TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(recovery::attemptWhenDue, RECOVERY_POLL_MS, RECOVERY_POLL_MS,
            TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::applyRetention, options.mqttIndexRetentionIntervalSec,
            options.mqttIndexRetentionIntervalSec, TimeUnit.SECONDS);
        LOG.info("light-queue dispatcher started: {} filters, checkpoint {}", applier.filterCount(), applier.checkpoint());
    }

    /** Commits what was applied, stops the threads and closes the index. Call from the plugin's {@code stop}. */
    public void stop() {
        maintenance.shutdownNow();
        applier.close();
        signals.stop();
        barrier.failAll(new IllegalStateException("the light-queue dispatcher stopped"));
        try {
            index.close();
        } catch (IndexException e) {
            LOG.warn("the light-queue index closed without its last flush ({}); the next start catches up from the commitlog",
                e.getMessage());
        }
        LOG.info("light-queue dispatcher stopped at checkpoint {}", applier.checkpoint());
    }

    /** The commitlog offset up to which the index is written (readers see everything before it). */
    public long indexedUpTo() {
        return Math.max(0, index.checkpoint());
    }

    /** How far the index is behind the commitlog, for metrics; reads one message header when behind. */
    public DispatchLag lag(long nowMillis) {
        return CommitLogLag.of(context.defaultMessageStore(), indexedUpTo(), nowMillis);
    }

    /** The light queues ever appended to (a queue is never deleted), for metrics. */
    public long lightQueueCount() {
        return index.stats().queues();
    }

    /** The bytes of the index's SST files on disk, for metrics. */
    public long indexDiskBytes() {
        return index.stats().diskBytes();
    }

    /**
     * Why the index cannot be written, while it cannot (a full disk): nothing new is indexed or
     * delivered until the dispatcher recovered by itself. Cheap enough to ask per publish.
     */
    public Optional<IndexFailure> indexFailure() {
        return applier.failure();
    }

    /** The number of live filters (filters with at least one subscription). */
    public int filterCount() {
        return applier.filterCount();
    }

    private void commitSafetyNet() {
        try {
            applier.commit();
        } catch (RuntimeException e) {
            LOG.error("committing the light-queue index failed", e);
        }
    }

    private void applyRetention() {
        long min = context.defaultMessageStore().getMinPhyOffset();
        if (min <= retainedFrom || applier.failure().isPresent()) {
            return;
        }
        try {
            long removed = applier.deleteEntriesBelow(min);
            retainedFrom = min;
            LOG.info("light-queue index dropped {} entries below commitlog offset {}", removed, min);
        } catch (RuntimeException e) {
            LOG.error("light-queue index retention failed", e);
        }
    }

    @Override
    public CompletableFuture<Subscription> subscribe(String subscriberId, String filter, byte[] options) {
        Optional<String> invalid = invalid(subscriberId, filter);
        if (invalid.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(invalid.get()));
        }
        byte[] opaque = options == null ? new byte[0] : options.clone();
        return writer().write(id -> new FilterEvent.Subscribe(id, subscriberId, filter, opaque))
            .thenApply(AppliedEvent::subscription);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String subscriberId, String filter) {
        Optional<String> invalid = invalid(subscriberId, filter);
        if (invalid.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(invalid.get()));
        }
        return writer().write(id -> new FilterEvent.Unsubscribe(id, subscriberId, filter)).thenApply(applied -> null);
    }

    @Override
    public CompletableFuture<Void> unsubscribeAll(String subscriberId) {
        Optional<String> invalid = invalidSubscriber(subscriberId);
        if (invalid.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(invalid.get()));
        }
        return writer().write(id -> new FilterEvent.UnsubscribeAll(id, subscriberId)).thenApply(applied -> null);
    }

    @Override
    public List<SubscriptionRecord> subscriptionsOf(String subscriberId) {
        return applier.subscriptions().committed(subscriberId);
    }

    @Override
    public long subscriptionCount() {
        return applier.subscriptions().committedCount();
    }

    @Override
    public CompletableFuture<Long> writeState(List<StateChange> changes) {
        try {
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("a state event needs at least one change");
            }
            changes.forEach(change -> requireDeclared(change.family()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writer().write(id -> new StateEvent(id, changes)).thenApply(AppliedEvent::commitLogOffset);
    }

    @Override
    public byte[] readState(String family, byte[] key) {
        requireDeclared(family);
        return index.get(family, key);
    }

    @Override
    public void scanState(String family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        requireDeclared(family);
        index.scan(family, prefix, visitor::test);
    }

    private void requireDeclared(String family) {
        if (!stateFamilies.contains(family)) {
            throw new IllegalArgumentException("unknown state family '" + family + "'; the declared state families are "
                + stateFamilies.stream().sorted().toList());
        }
    }

    private EventWriter writer() {
        EventWriter current = writer;
        if (current == null) {
            throw new IllegalStateException("the light-queue dispatcher is not started");
        }
        return current;
    }

    private static Optional<String> invalidSubscriber(String subscriberId) {
        if (subscriberId == null || subscriberId.indexOf('\u0000') >= 0) {
            return Optional.of("subscriber id must be present and must not contain U+0000");
        }
        return Optional.empty();
    }

    private static Optional<String> invalid(String subscriberId, String filter) {
        Optional<String> invalidSubscriber = invalidSubscriber(subscriberId);
        if (invalidSubscriber.isPresent()) {
            return invalidSubscriber;
        }
        Optional<String> invalidFilter = Topics.validateFilter(filter);
        if (invalidFilter.isPresent()) {
            return invalidFilter;
        }
        int bytes = filter.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > LightQueueIndex.MAX_QUEUE_NAME_BYTES) {
            return Optional.of("topic filter is " + bytes + " bytes long, this broker allows at most "
                + LightQueueIndex.MAX_QUEUE_NAME_BYTES);
        }
        return Optional.empty();
    }

    @Override
    public List<StoredMessage> retained(String filter) {
        return retained.matching(validRetainedFilter(filter));
    }

    @Override
    public List<RetainedVersion> retainedVersions(String filter) {
        return retained.versions(validRetainedFilter(filter));
    }

    @Override
    public RetainedPage retainedPage(String filter, String after, int maxVersions, long maxBytes) {
        return retained.page(validRetainedFilter(filter), after, maxVersions, maxBytes);
    }

    private static String validRetainedFilter(String filter) {
        Optional<String> invalid = Topics.validateFilter(filter);
        if (invalid.isPresent()) {
            throw new IllegalArgumentException(invalid.get());
        }
        return filter;
    }

    @Override
    public long retainedCount() {
        return retained.count();
    }

    @Override
    public ReadResult read(String filter, long fromOffset, int maxCount) {
        return reader.read(filter, fromOffset, maxCount);
    }

    @Override
    public long maxOffset(String filter) {
        return index.maxOffset(filter);
    }

    @Override
    public void addArrivalListener(ArrivalListener listener) {
        signals.addListener(listener);
    }

    @Override
    public void removeArrivalListener(ArrivalListener listener) {
        signals.removeListener(listener);
    }
}
