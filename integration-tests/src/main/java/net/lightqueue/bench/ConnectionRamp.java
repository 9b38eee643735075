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

    /**
     * Returns once every client is ready, or throws {@link SetupException} naming the first failure.
     * Records into {@code handshakes} each ready client's time from connecting to ready, in microseconds.
     */
    List<BenchClient> open(List<BenchClient> clients, LatencyRecorder handshakes) throws InterruptedException {
        Semaphore inFlight = new Semaphore(MAX_HANDSHAKES_IN_FLIGHT);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<CompletableFuture<BenchClient>> pending = new ArrayList<>(clients.size());
        long start = System.nanoTime();
        for (int i = 0; i < clients.size() && firstFailure.get() == null; i++) {
            LockSupport.parkNanos(start + (long) (i * 1e9 / perSecond) - System.nanoTime());
            if (!inFlight.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SetupException("broker did not complete " + MAX_HANDSHAKES_IN_FLIGHT + " handshakes in time");
            }
            long connecting = System.nanoTime();
            CompletableFuture<BenchClient> ready = connector.connect(clients.get(i)).ready()
                    .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
            // Waited on below is the recording stage, not the handshake: the last sample must be in
            // the histogram (and visible to this thread) before the caller merges it.
            pending.add(ready.whenComplete((c, e) -> {
                inFlight.release();
                if (e != null) {
                    firstFailure.compareAndSet(null, e);
                } else {
                    handshakes.recordMicros((System.nanoTime() - connecting) / 1_000);
                }
            }));
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
