package net.lightqueue.dispatch.engine;

import net.lightqueue.index.LightQueueIndex;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.store.CommitLog;
import org.apache.rocketmq.store.DispatchRequest;

/**
 * Keeps the retained family in step with the commitlog: a message flagged retained becomes its
 * topic's retained message; one with an empty body clears the topic instead, keeping when (its
 * store timestamp and commitlog offset) so that a newer clear on one broker wins over an older
 * message on another. A cleared topic is never swept by age: only the commitlog decides the
 * state. The count of retained messages, cleared topics not included, is written with every
 * change. Dispatcher thread only.
 */
final class RetainedUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedUpdates.class);

    private final LightQueueIndex index;
    private final CommitLog commitLog;
    /** The count as of what was applied, committed or not. */
    private long count;

    RetainedUpdates(LightQueueIndex index, CommitLog commitLog) {
        this.index = index;
        this.commitLog = commitLog;
    }

    /** Forgets what was applied but not committed. */
    void reloadFromIndex() {
        count = StateLayout.longCountOf(index.get(StateLayout.COUNTERS, StateLayout.RETAINED_COUNT));
    }

    void apply(DispatchBatch batch, DispatchRequest request, String topic) {
        // Read whole (the dispatch request has no body); only retained messages pay for it.
        MessageExt message = CommitLogMessages.read(commitLog, request.getCommitLogOffset(), request.getMsgSize());
        if (message == null) {
            LOG.error("retained message at commitlog offset {} is unreadable; skipped", request.getCommitLogOffset());
            return;
        }
        boolean present = batch.retainedPresent(topic).orElseGet(() -> {
            byte[] value = index.get(StateLayout.RETAINED, StateLayout.utf8(topic));
            return value != null && !RetainedCodec.isCleared(value);
        });
        if (message.getBody().length > 0) {
            batch.putRetained(topic, RetainedCodec.encode(message));
            if (!present) {
                batch.putCounter(StateLayout.RETAINED_COUNT, ++count);
            }
        } else {
            batch.putCleared(topic, RetainedCodec.encodeCleared(message.getStoreTimestamp(), message.getCommitLogOffset()));
            if (present) {
                batch.putCounter(StateLayout.RETAINED_COUNT, --count);
            }
        }
    }
}
