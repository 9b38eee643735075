package net.lightqueue.dispatch.engine;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Callers waiting for their events to be applied. Each event carries a request id drawn
 * here; the dispatcher reports the ids of the events a committed batch applied. Ids start at a
 * random point per process, so an event replayed from an earlier run never completes a waiter
 * of this one.
 */
public final class SubscribeBarrier {

    /** A registered wait: the id to write into the event, and the future it completes. */
    record Waiter(long requestId, CompletableFuture<AppliedEvent> applied) {
    }

    private final AtomicLong nextId = new AtomicLong(new SecureRandom().nextLong() | 1L);
    private final Map<Long, CompletableFuture<AppliedEvent>> waiting = new ConcurrentHashMap<>();

    Waiter register() {
        long id;
        do {
            id = nextId.getAndIncrement();
        } while (id == 0);
        CompletableFuture<AppliedEvent> future = new CompletableFuture<>();
        waiting.put(id, future);
        return new Waiter(id, future);
    }

    /** The event was not written: fail the wait. */
    void abandon(long requestId, Throwable cause) {
        CompletableFuture<AppliedEvent> future = waiting.remove(requestId);
        if (future != null) {
            future.completeExceptionally(cause);
        }
    }

    /** Completes the waiters of events applied by a committed batch; unknown ids are ignored. */
    void applied(Map<Long, AppliedEvent> results) {
        results.forEach((id, result) -> {
            CompletableFuture<AppliedEvent> future = waiting.remove(id);
            if (future != null) {
                future.complete(result);
            }
        });
    }

    /** Fails every wait, e.g. because the dispatcher stops. */
    public void failAll(Throwable cause) {
        waiting.keySet().forEach(id -> abandon(id, cause));
    }
}
