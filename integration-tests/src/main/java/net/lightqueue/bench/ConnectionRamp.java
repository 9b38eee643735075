package net.lightqueue.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens clients at a steady rate with a bounded number of handshakes in flight, so a large
 * connection count measures the broker rather than a SYN flood. Any failure fails the phase.
 */
final class ConnectionRamp {
    private static final int MAX_HANDSHAKES_IN_FLIGHT = 1_000;

    private final Connector connector;
    private final int perSecond;
    private final long timeoutNanos;

    ConnectionRamp(Connector connector, int perSecond, long timeoutNanos) {
        this.connector = connector;
        this.perSecond = perSecond;
        this.timeoutNanos = timeoutNanos;
    }

    /** Returns once every client is ready, or throws {@link SetupException} naming the first failure. */
    List<BenchClient> open(List<BenchClient> clients) throws InterruptedException {
        Semaphore handshakes = new Semaphore(MAX_HANDSHAKES_IN_FLIGHT);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<CompletableFuture<BenchClient>> pending = new ArrayList<>(clients.size());
        long start = System.nanoTime();
        for (int i = 0; i < clients.size() && firstFailure.get() == null; i++) {
            LockSupport.parkNanos(start + (long) (i * 1e9 / perSecond) - System.nanoTime());
            if (!handshakes.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SetupException("broker did not complete " + MAX_HANDSHAKES_IN_FLIGHT + " handshakes in time");
            }
            CompletableFuture<BenchClient> ready = connector.connect(clients.get(i)).ready()
                    .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
            ready.whenComplete((c, e) -> {
                handshakes.release();
                if (e != null) {
                    firstFailure.compareAndSet(null, e);
                }
            });
            pending.add(ready);
        }
        List<BenchClient> ready = new ArrayList<>(pending.size());
        for (CompletableFuture<BenchClient> future : pending) {
            try {
                ready.add(future.get());
            } catch (ExecutionException e) {
                firstFailure.compareAndSet(null, e.getCause());
            }
        }
        Throwable failure = firstFailure.get();
        if (failure != null) {
            String reason = failure instanceof TimeoutException
                ? "no CONNACK/SUBACK within the connect timeout" : failure.getMessage();
            throw new SetupException((clients.size() - ready.size()) + " of " + clients.size()
                    + " connections not ready; first failure: " + reason, failure);
        }
        return ready;
    }
}
