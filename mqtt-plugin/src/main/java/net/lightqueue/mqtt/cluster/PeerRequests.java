package net.lightqueue.mqtt.cluster;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The requests of one cursor to one peer: one at a time, and none for a second after one
 * failed, so a peer that is down is not asked at message rate. When a request ends the cursor's
 * session is woken: at once after an answer, after the second after a failure.
 */
public final class PeerRequests {

    private static final long RETRY_MILLIS = 1_000;

    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Runnable wake;
    private final AtomicBoolean requesting = new AtomicBoolean();
    /** After a failed request, when the next may go (epoch millis). */
    private volatile long retryAt;

    public PeerRequests(Clock clock, ScheduledExecutorService timers, Runnable wake) {
        this.clock = clock;
        this.timers = timers;
        this.wake = wake;
    }

    /** Sends the request unless one is in flight or the retry is not due; returns it, or null when none went. */
    public CompletableFuture<?> send(Supplier<CompletableFuture<?>> request) {
        if (clock.millis() < retryAt || !requesting.compareAndSet(false, true)) {
            return null;
        }
        return request.get().whenComplete((done, failure) -> {
            if (failure != null) {
                retryAt = clock.millis() + RETRY_MILLIS;
                timers.schedule(wake, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            requesting.set(false);
            if (failure == null) {
                wake.run();
            }
        });
    }
}
