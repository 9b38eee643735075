package net.lightqueue.dispatch.engine;

import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Brings the dispatcher back after its index failed (a full disk): retries
 * {@link CommitLogApplier#recover} with a delay from 1 s doubling up to 30 s, and says once when
 * it worked. Polled on the dispatcher's maintenance thread.
 */
public final class IndexRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRecovery.class);
    private static final long FIRST_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final CommitLogApplier applier;
    private boolean failing;
    private long failedSinceNanos;
    private long delayNanos;
    private long nextAttemptNanos;
    private int attempts;

    public IndexRecovery(CommitLogApplier applier) {
        this.applier = applier;
    }

    /** Tries to recover if the index failed and the next attempt is due; cheap otherwise. */
    public void attemptWhenDue() {
        if (applier.failure().isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (!failing) {
            failing = true;
            failedSinceNanos = now;
            attempts = 0;
            delayNanos = FIRST_DELAY_NANOS;
            nextAttemptNanos = now + delayNanos;
            return;
        }
        if (now - nextAttemptNanos < 0) {
            return;
        }
        attempts++;
        try {
            applier.recover();
            failing = false;
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failedSinceNanos);
            LOG.info("light-queue index resumed after {} s ({} attempts): reopened, caught up with the commitlog to offset {}"
                + " and flushed; delivery and MQTT publishes go on", seconds, attempts, applier.checkpoint());
        } catch (RuntimeException e) {
            delayNanos = Math.min(delayNanos * 2, MAX_DELAY_NANOS);
            nextAttemptNanos = System.nanoTime() + delayNanos;
            LOG.debug("light-queue index still fails (attempt {}), next attempt in {} s: {}", attempts,
                TimeUnit.NANOSECONDS.toSeconds(delayNanos), e.toString());
        }
    }
}
