package net.lightqueue.dispatch.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.lightqueue.dispatch.IndexFailure;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.StateChange;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.dispatch.event.Event;
import net.lightqueue.dispatch.event.EventCodec;
import net.lightqueue.dispatch.event.EventTopic;
import net.lightqueue.dispatch.event.FilterEvent;
import net.lightqueue.dispatch.event.MalformedEventException;
import net.lightqueue.dispatch.event.StateEvent;
import net.lightqueue.dispatch.topic.FilterSet;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.index.IndexException;
import net.lightqueue.index.LightQueueIndex;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.store.CommitLog;
import org.apache.rocketmq.store.CommitLogDispatchStore;
import org.apache.rocketmq.store.CommitLogDispatcher;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.DispatchRequest;

/**
 * The deterministic state machine over the commitlog. The broker's reput thread (and, at
 * startup, its recovery) hands it every message in commitlog order; it applies filter events to
 * the live {@link FilterSet}, appends an index entry for every publication to the queue of
 * every matching filter, keeps the retained message of each MQTT topic, applies protocol state
 * events, and commits what it applied, together with the checkpoint (the
 * commitlog offset after the last applied message), in one atomic index write: when the broker
 * has no more messages to dispatch, or after a bounded number of messages.
 *
 * <p>Idempotent: a message below the checkpoint was applied already and is ignored. A message
 * above it means the broker skipped a stretch (the index is new, was deleted, or lags more than
 * the broker's recovery window): that stretch is read from the commitlog first.
 *
 * <p>The index never runs ahead of the commitlog. Each write records the last message applied;
 * when that message is gone (a power loss with asynchronous flush cut the commitlog at start, or
 * a master cut off from its group rejoined as a slave and dropped what no replica had), the index
 * is emptied and rebuilt from the commitlog as it is now, at start or while the broker runs.
 *
 * <p>When the index cannot be written (a full disk), it stops applying: the broker's dispatch
 * returns at once, {@link #failure()} says why, and {@link #recover} (retried by
 * {@link IndexRecovery}) reopens the index at its last durable checkpoint and catches up from the
 * commitlog, exactly as a restart would.
 *
 * <p>As a {@link CommitLogDispatchStore} it tells the broker's recovery where to resume.
 */
public final class CommitLogApplier implements CommitLogDispatcher, CommitLogDispatchStore {

    private static final Logger LOG = LoggerFactory.getLogger(CommitLogApplier.class);

    /**
     * The derived-state families the index must hold: the dispatcher's own and the protocol
     * plugin's {@code stateFamilies}.
     *
     * @throws IllegalArgumentException if a state family has the name of one of the dispatcher's
     */
    public static String[] indexFamilies(Set<String> stateFamilies) {
        for (String family : stateFamilies) {
            if (StateLayout.OWN_FAMILIES.contains(family)) {
                throw new IllegalArgumentException("state family '" + family + "' is a name the dispatcher uses for "
                    + "its own state; its families are " + StateLayout.OWN_FAMILIES);
            }
        }
        return Stream.concat(StateLayout.OWN_FAMILIES.stream(), stateFamilies.stream()).toArray(String[]::new);
    }

    private final LightQueueIndex index;
    private final Set<String> stateFamilies;
    private final DefaultMessageStore store;
    private final CommitLog commitLog;
    private final CommitLogScanner scanner;
    private final FilterSet filters = new FilterSet();
    private final Subscriptions subscriptions;
    private final RetainedUpdates retained;
    private final ArrivalSignals signals;
    private final SubscribeBarrier barrier;
    private final int batchMaxMessages;
    private final Runnable indexCleared;
    private final List<String> matched = new ArrayList<>();
    private final DispatchWarnings warnings = new DispatchWarnings();

    /** The commitlog offset after the last applied message. */
    private long checkpoint;
    /** What was applied since the last commit; null when nothing was. */
    private DispatchBatch batch;
    /** Set once the index is about to close: later messages are left to the next start's recovery. */
    private boolean closed;
    /** Set while the index cannot be written: nothing is applied until {@link #recover} succeeds. */
    private volatile IndexFailure failure;
    /** Messages read by catch-up rather than dispatched by the broker, since start (for the log and tests). */
    private int caughtUp;
    /** The last message this process applied (offset, size, store timestamp); offset -1 before the first. */
    private long lastAppliedOffset = -1;
    private int lastAppliedSize;
    private long lastAppliedTimestamp;
    /** Whether the last applied message was found intact since it was applied (replays below the checkpoint). */
    private boolean lastAppliedChecked;

    /**
     * @param stateFamilies the protocol state families; changes of other families are skipped
     * @param indexCleared  called when the index was emptied for a rebuild, before it fills again:
     *                      what readers cached by commitlog offset may now be another message
     */
    public CommitLogApplier(LightQueueIndex index, DefaultMessageStore store, ArrivalSignals signals,
        SubscribeBarrier barrier, int batchMaxMessages, Set<String> stateFamilies, Runnable indexCleared) {
        this.index = index;
        this.stateFamilies = stateFamilies;
        this.store = store;
        this.commitLog = store.getCommitLog();
        this.scanner = new CommitLogScanner(commitLog);
        this.signals = signals;
        this.barrier = barrier;
        this.batchMaxMessages = batchMaxMessages;
        this.indexCleared = indexCleared;
        this.subscriptions = new Subscriptions(index, filters);
        this.retained = new RetainedUpdates(index, commitLog);
        reloadFromIndex();
    }

    /** Loads the filter set and the checkpoint from the index: the state as of its last write. */
    private void reloadFromIndex() {
        filters.clear();
        index.scan(StateLayout.FILTERS, new byte[0], (key, value) -> {
            filters.restore(StateLayout.string(key), StateLayout.countOf(value));
            return true;
        });
        subscriptions.reloadFromIndex();
        retained.reloadFromIndex();
        checkpoint = Math.max(0, index.checkpoint());
        byte[] last = index.get(StateLayout.COUNTERS, StateLayout.LAST_APPLIED);
        lastAppliedOffset = last == null ? -1 : StateLayout.lastAppliedOffsetOf(last);
        lastAppliedSize = last == null ? 0 : StateLayout.lastAppliedSizeOf(last);
        lastAppliedTimestamp = last == null ? 0 : StateLayout.lastAppliedTimestampOf(last);
        lastAppliedChecked = false;
        batch = null;
    }

    @Override
    public void dispatch(DispatchRequest request) {
        if (failure != null) {
            return; // the broker's reput thread never waits for a recovery; the recovery catches up
        }
        synchronized (this) {
            dispatchInOrder(request);
        }
    }

    private void dispatchInOrder(DispatchRequest request) {
        long offset = request.getCommitLogOffset();
        if (closed || failure != null) {
            return;
        }
        try {
            if (offset < checkpoint) {
                rebuildIfCut(offset);
                if (offset < checkpoint) {
                    return; // applied already, before or by the rebuild
                }
            }
            if (offset > checkpoint) {
                catchUp(offset);
            }
            apply(request);
            if (batch.messages() >= batchMaxMessages || request.getCommitLogOffset() + request.getMsgSize() >= reputEnd()) {
                writeBatch();
            }
        } catch (IndexException e) {
            indexFailed(e);
        } catch (RuntimeException e) {
            // Never disturb the broker's own dispatch: start over from the last written state,
            // the next message fills the gap from the commitlog.
            LOG.error("applying the message at commitlog offset {} failed; resuming from the index checkpoint", offset, e);
            reloadFromIndex();
        }
    }

    /**
     * A message below the checkpoint is normally one applied already (replayed at start). If the
     * last message the index applied is no longer in the commitlog as it was, the commitlog was
     * cut below the checkpoint: the index holds what it derived from messages that are gone, and
     * their offsets will hold others. It is emptied and rebuilt from the commitlog; the caller
     * up to the commitlog's end. Costs one commitlog read per run of replays.
     *
     * @param dispatched the offset the broker dispatches again, or -1 at start
     */
    private void rebuildIfCut(long dispatched) {
        if (lastAppliedChecked || checkpoint == 0) {
            return;
        }
        boolean gone;
        if (lastAppliedOffset < 0) {
            gone = checkpoint > commitLog.getMaxOffset(); // an index written before it recorded its last message
        } else {
            MessageExt last = CommitLogMessages.read(commitLog, lastAppliedOffset, lastAppliedSize);
            gone = last == null || last.getStoreTimestamp() != lastAppliedTimestamp;
        }
        if (!gone) {
            lastAppliedChecked = true;
            return;
        }
        long started = System.nanoTime();
        long oldCheckpoint = checkpoint;
        String seen = dispatched < 0 ? "at start the commitlog ends at offset " + commitLog.getMaxOffset()
            : "the broker dispatches offset " + dispatched + " again";
        LOG.warn("commitlog truncated below the light-queue index: {}, but the index holds what it derived up to offset {}"
            + " and the message it applied last (offset {}) is gone. A power loss with ASYNC_FLUSH cut the commitlog,"
            + " or a master cut off from its group rejoined as a slave and dropped what no replica had. Rebuilding the"
            + " index from the commitlog [{}, {}) now", seen, oldCheckpoint, lastAppliedOffset, commitLog.getMinOffset(),
            commitLog.getMaxOffset());
        batch = null;
        index.clear();
        indexCleared.run();
        reloadFromIndex();
        int before = caughtUp;
        catchUp(Math.min(commitLog.getMaxOffset(), reputEnd()));
        writeBatch();
        LOG.warn("light-queue index rebuilt from the commitlog in {} ms: {} messages, checkpoint {} (was {}); state"
            + " whose events were in commitlog files already deleted by retention is not recovered",
            (System.nanoTime() - started) / 1_000_000, caughtUp - before, checkpoint, oldCheckpoint);
    }

    /**
     * Applies what the broker will not dispatch to us: from the checkpoint up to {@code end}
     * (the first message the broker hands us, or the end of the commitlog at start).
     */
    private void catchUp(long end) {
        long from = checkpoint;
        long min = commitLog.getMinOffset();
        if (from < min) {
            LOG.warn("the light-queue index ends at commitlog offset {} but the commitlog starts at {}: "
                + "messages and events in between were deleted by retention and are not indexed", from, min);
            from = min;
        }
        if (from >= end) {
            checkpoint = Math.max(checkpoint, end);
            return;
        }
        int before = caughtUp;
        long reached = scanner.scan(from, end, this::applyAndBound);
        if (reached < end) {
            LOG.error("the commitlog is unreadable at offset {}; messages up to {} are not indexed", reached, end);
        }
        if (caughtUp > before) {
            LOG.info("light-queue index caught up on {} messages of commitlog [{}, {})", caughtUp - before, from, end);
        }
        checkpoint = Math.max(checkpoint, end);
    }

    private void applyAndBound(DispatchRequest request) {
        caughtUp++;
        apply(request);
        if (batch.messages() >= batchMaxMessages) {
            writeBatch();
        }
    }

    /**
     * Brings the index up to the end of the commitlog and commits; for startup after recovery.
     * An index ahead of the recovered commitlog is rebuilt first. While the index fails, this is
     * left to {@link #recover}.
     */
    public synchronized void catchUpToEnd() {
        unlessFailing(this::catchUpAndWrite);
    }

    /** Runs an index write unless the index is failing; a write that fails hands over to {@link #recover}. */
    private void unlessFailing(Runnable write) {
        if (failure != null) {
            return;
        }
        try {
            write.run();
        } catch (IndexException e) {
            indexFailed(e);
        }
    }

    private void catchUpAndWrite() {
        rebuildIfCut(-1);
        long end = reputEnd();
        if (end > checkpoint) {
            catchUp(end);
        }
        writeBatch();
    }

    /** Why the index cannot be written, while it cannot. */
    public Optional<IndexFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * After a failure: reopens the index (back at its last durable checkpoint, as after a crash),
     * reloads the state from it, catches up to the end of the commitlog and flushes, which proves
     * the disk takes writes again. Then applying resumes; what the broker dispatched meanwhile is
     * caught up once more, so nothing falls between.
     *
     * @throws RuntimeException if the index still cannot be written; the failure stays
     */
    public synchronized void recover() {
        if (closed) {
            return;
        }
        try {
            index.reopen();
            reloadFromIndex();
            catchUpAndWrite();
            index.flush();
            // The broker's dispatch, skipped while failing, is caught up below what it dispatched
            // before seeing this: the commitlog's end read after it.
            failure = null;
            catchUpAndWrite();
        } catch (RuntimeException e) {
            batch = null;
            failure = failureOf(e);
            throw e;
        }
    }

    private void indexFailed(IndexException e) {
        batch = null;
        failure = failureOf(e);
        LOG.error("the light-queue index cannot be written: {}. Nothing more is indexed or delivered to MQTT subscribers"
            + " and new MQTT publishes are refused until it can; connections stay. {}It is reopened and caught up from the"
            + " commitlog, retried every 1 to 30 s; nothing the broker accepted is lost", failure.cause(),
            failure.diskFull() ? "Free space on the file system that holds it. " : "");
    }

    private static IndexFailure failureOf(RuntimeException e) {
        StringBuilder cause = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && cause.indexOf(t.getMessage()) < 0) {
                cause.append(": ").append(t.getMessage());
            }
        }
        return new IndexFailure(cause.toString(), e instanceof IndexException indexError && indexError.diskFull());
    }

    /** Commits what was applied and stops applying; the broker replays the rest at the next start. */
    public synchronized void close() {
        commit();
        closed = true;
    }

    /** Commits what was applied, if anything; also for a periodic safety net. */
    public synchronized void commit() {
        unlessFailing(this::writeBatch);
    }

    private void writeBatch() {
        if (batch == null || closed) {
            return;
        }
        DispatchBatch done = batch;
        batch = null;
        done.writes().put(StateLayout.COUNTERS, StateLayout.LAST_APPLIED,
            StateLayout.lastApplied(lastAppliedOffset, lastAppliedSize, lastAppliedTimestamp));
        index.write(done.writes());
        signals.publish(done.queueEnds());
        barrier.applied(done.appliedRequests());
    }

    /** Retention: drops entries whose commitlog file is gone. Commits first, since batches must not span it. */
    public synchronized long deleteEntriesBelow(long commitLogOffset) {
        commit();
        return closed || failure != null ? 0 : index.deleteEntriesBelow(commitLogOffset);
    }

    private long reputEnd() {
        return store.getMessageStoreConfig().isReadUnCommitted() ? commitLog.getMaxOffset() : commitLog.getConfirmOffset();
    }

    private void apply(DispatchRequest request) {
        if (batch == null) {
            batch = new DispatchBatch(index.newBatch());
        }
        switch (MessageKind.of(request, EventTopic.NAME)) {
            case EVENT -> readEvent(request).ifPresent(event -> applyEvent(event, request.getCommitLogOffset()));
            case PUBLICATION -> applyPublication(request);
            case FORGED -> warnings.forged(request.getTopic(), request.getCommitLogOffset());
            case IGNORED -> {
            }
        }
        checkpoint = request.getCommitLogOffset() + request.getMsgSize();
        lastAppliedOffset = request.getCommitLogOffset();
        lastAppliedSize = request.getMsgSize();
        lastAppliedTimestamp = request.getStoreTimestamp();
        lastAppliedChecked = false; // a replay below the new checkpoint checks again
        batch.messageApplied(checkpoint);
    }

    private void applyPublication(DispatchRequest request) {
        boolean retain = MqttMessageProperties.retained(request.getPropertiesMap());
        if (filters.size() == 0 && !retain) {
            return;
        }
        String topic = MqttMessageProperties.mqttTopic(request.getTopic(), request.getPropertiesMap());
        String origin = MqttMessageProperties.origin(request.getPropertiesMap());
        if (topic == null || origin != null && !origin.equals(topic)) {
            warnings.unlikeItsOrigin(request.getTopic(), origin, topic);
        }
        if (topic == null || Topics.validateName(topic).isPresent()) {
            return;
        }
        if (retain) {
            retained.apply(batch, request, topic);
        }
        matched.clear();
        filters.match(topic, matched);
        for (String queue : matched) {
            batch.append(queue, request.getCommitLogOffset(), request.getMsgSize(), request.getStoreTimestamp());
        }
    }

    private Optional<Event> readEvent(DispatchRequest request) {
        MessageExt message = CommitLogMessages.read(commitLog, request.getCommitLogOffset(), request.getMsgSize());
        if (message == null) {
            LOG.error("event at commitlog offset {} is unreadable; skipped", request.getCommitLogOffset());
            return Optional.empty();
        }
        try {
            Optional<Event> event = EventCodec.decode(message.getBody());
            if (event.isEmpty()) {
                LOG.warn("event at commitlog offset {} has a version or type this broker does not know; skipped",
                    request.getCommitLogOffset());
            }
            return event;
        } catch (MalformedEventException e) {
            LOG.error("event at commitlog offset {} is malformed; skipped", request.getCommitLogOffset(), e);
            return Optional.empty();
        }
    }

    private void applyEvent(Event event, long eventOffset) {
        Subscription subscription = null;
        if (event instanceof FilterEvent.Subscribe subscribe) {
            subscription = subscriptions.subscribe(batch, subscribe.subscriberId(), subscribe.filter(),
                subscribe.options(), eventOffset);
        } else if (event instanceof FilterEvent.Unsubscribe unsubscribe) {
            subscriptions.unsubscribe(batch, unsubscribe.subscriberId(), unsubscribe.filter());
        } else if (event instanceof FilterEvent.UnsubscribeAll all) {
            subscriptions.unsubscribeAll(batch, all.subscriberId());
        } else {
            applyState((StateEvent) event, eventOffset);
        }
        batch.applied(event.requestId(), new AppliedEvent(eventOffset, subscription));
    }

    private void applyState(StateEvent event, long eventOffset) {
        for (StateChange change : event.changes()) {
            if (stateFamilies.contains(change.family())) {
                batch.putState(change);
            } else {
                // Another plugin version, declaring other families, wrote it; applying the rest keeps ours consistent.
                LOG.warn("state event at commitlog offset {} changes undeclared family '{}'; change skipped",
                    eventOffset, change.family());
            }
        }
    }

    @Override
    public synchronized Long getDispatchFromPhyOffset(boolean recoverNormally) {
        // The broker re-dispatches messages strictly above the returned offset and ignores
        // values <= 0; an empty index is filled by catchUp from the first dispatched message.
        return checkpoint > 0 ? checkpoint - 1 : null;
    }

    @Override
    public synchronized boolean isMappedFileMatchedRecover(long phyOffset, long storeTimestamp, boolean recoverNormally) {
        return phyOffset <= checkpoint;
    }

    /** The live filters; read by tests and benchmarks on the dispatcher's own terms (under its lock). */
    public synchronized int filterCount() {
        return filters.size();
    }

    /** The subscriptions, for reads of committed ones from any thread. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** The commitlog offset after the last applied message. */
    public synchronized long checkpoint() {
        return checkpoint;
    }
}
