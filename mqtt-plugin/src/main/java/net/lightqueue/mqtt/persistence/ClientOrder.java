package net.lightqueue.mqtt.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs the state steps of one client id (or shared subscription) one after the other
 * (connect, disconnect, expiry, will timers), each starting when the previous one's state
 * writes were applied. So a reconnect always reads what the last disconnect wrote, and a timer
 * never acts on a session that a connection is resuming. Clients do not wait for each other.
 */
public final class ClientOrder {

    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public <T> CompletableFuture<T> run(String clientId, Executor executor, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> done = result.handle((value, failure) -> null);
        CompletableFuture<Void> previous = tails.put(clientId, done);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
            .thenRunAsync(() -> step.get().whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            }), executor)
            .exceptionally(failure -> {
                result.completeExceptionally(failure); // the step threw, or its executor is gone
                return null;
            });
        done.thenRun(() -> tails.remove(clientId, done));
        return result;
    }

    public int pending() {
        return tails.size();
    }

    /** Completes when every step queued so far has run. */
    public CompletableFuture<Void> idle() {
        return CompletableFuture.allOf(tails.values().toArray(CompletableFuture[]::new));
    }
}
