package net.lightqueue.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * All clients of one run: opens them, starts and stops their publishers, waits for the last
 * messages and adds up what every subscriber got. Subscriber sessions ({@link Inbox}) are kept
 * per client id, so a reconnecting persistent subscriber continues its accounting.
 */
final class Fleet {
    private static final long DISCONNECT_TIMEOUT_SECONDS = 10;

    private final BenchOptions options;
    private final ClientPlan plan;
    private final RunMeters meters;
    private final ConnectionRamp ramp;
    private final PrintStream log;
    private final Pacer pacer = new Pacer();
    private final Map<String, Inbox> inboxes = new LinkedHashMap<>();
    private final Map<Integer, Outbox> outboxes = new HashMap<>();
    private final CountDownLatch publishersRunning;

    Fleet(BenchOptions options, ClientPlan plan, RunMeters meters, ConnectionRamp ramp, PrintStream log) {
        this.options = options;
        this.plan = plan;
        this.meters = meters;
        this.ramp = ramp;
        this.log = log;
        this.publishersRunning = new CountDownLatch(plan.publisherCount());
    }

    RunMeters meters() {
        return meters;
    }

    /** Connects the given clients (subscribing them when asked) and returns once all are ready. */
    List<BenchClient> open(List<ClientSpec> specs, boolean persistentSession, boolean subscribe) throws InterruptedException {
        return open(specs, persistentSession, subscribe, new LatencyRecorder());
    }

    /** As {@link #open(List, boolean, boolean)}, recording each client's time to ready into {@code handshakes}. */
    List<BenchClient> open(List<ClientSpec> specs, boolean persistentSession, boolean subscribe, LatencyRecorder handshakes)
            throws InterruptedException {
        SessionSettings settings = SessionSettings.of(options, persistentSession);
        List<BenchClient> clients = new ArrayList<>(specs.size());
        for (ClientSpec spec : specs) {
            Inbox inbox = spec.subscribes()
                    ? inboxes.computeIfAbsent(spec.clientId(), id -> new Inbox(plan.expectedPublishers(spec), meters))
                    : null;
            Outbox outbox = spec.publishes() ? outboxes.computeIfAbsent(spec.publisherIndex(), i -> newOutbox(spec)) : null;
            clients.add(new BenchClient(spec, settings, subscribe, inbox, outbox, meters));
        }
        long start = System.nanoTime();
        List<BenchClient> ready = ramp.open(clients, handshakes);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.printf("connected %d clients in %.1f s%n", ready.size(), seconds);
        return ready;
    }

    /**
     * One more clean-session connection for {@code spec}'s client id, not logged: a takeover storm
     * makes thousands. Returns once it is ready.
     */
    BenchClient reconnect(ClientSpec spec, LatencyRecorder handshakes) throws InterruptedException {
        BenchClient client = new BenchClient(spec, SessionSettings.of(options, false), false, null, null, meters);
        return ramp.open(List.of(client), handshakes).get(0);
    }

    /** Connects and subscribes one client whose deliveries go to {@code deliveries} rather than an {@link Inbox}. */
    BenchClient openListener(ClientSpec spec, Deliveries deliveries) throws InterruptedException {
        BenchClient client = new BenchClient(spec, SessionSettings.of(options, false), true, deliveries, null, meters);
        return ramp.open(List.of(client), new LatencyRecorder()).get(0);
    }

    private Outbox newOutbox(ClientSpec spec) {
        double ratePerPublisher = options.rate() / plan.publisherCount();
        return new Outbox(spec.publisherIndex(), spec.publishTopic(), options, ratePerPublisher, meters,
                publishersRunning::countDown);
    }

    /** Publishers pace themselves from {@code startNanos} (and their phase), so a fixed rate holds over the whole run. */
    void startPublishing(List<BenchClient> clients, long startNanos) {
        clients.stream().filter(c -> c.outbox() != null).forEach(c -> c.startPublishing(
                startNanos + Pacer.phaseNanos(c.spec().publisherIndex(), options.rate()), pacer));
    }

    /** True when every publisher has sent its --count messages (or lost its connection) within the time. */
    boolean awaitPublishersFinished(long timeoutNanos) throws InterruptedException {
        return publishersRunning.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    void stopPublishing(List<BenchClient> clients) {
        CompletableFuture.allOf(clients.stream()
                .filter(c -> c.outbox() != null)
                .map(BenchClient::stopPublishing)
                .toArray(CompletableFuture[]::new)).join();
    }

    long unacknowledged() {
        return outboxes.values().stream().mapToLong(Outbox::inflight).sum();
    }

    /** Deliveries owed once publishing has stopped: each message once to each matching subscriber. */
    long expectedDeliveries() {
        long expected = 0;
        for (Inbox inbox : inboxes.values()) {
            for (Integer publisher : inbox.trackers().keySet()) {
                expected += sentBy(publisher);
            }
        }
        return expected;
    }

    private long sentBy(int publisher) {
        Outbox outbox = outboxes.get(publisher);
        return outbox == null ? 0 : outbox.sent();
    }

    /** Waits until publishers have no unacknowledged messages. */
    boolean awaitAcknowledged(long timeoutNanos) throws InterruptedException {
        return awaitUntil(() -> unacknowledged() == 0, timeoutNanos);
    }

    /** Waits until publishers have no unacknowledged messages and subscribers have all they are owed. */
    boolean awaitDrained(long timeoutNanos) throws InterruptedException {
        long expected = expectedDeliveries();
        return awaitUntil(() -> unacknowledged() == 0 && meters.uniqueReceived.sum() >= expected, timeoutNanos);
    }

    static boolean awaitUntil(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    void disconnect(List<BenchClient> clients) {
        CompletableFuture.allOf(clients.stream().map(BenchClient::disconnect).toArray(CompletableFuture[]::new))
                .orTimeout(DISCONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
    }

    /** Adds the accounting to the result. Call after the event loops have terminated. */
    void tally(Result result) {
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        for (Inbox inbox : inboxes.values()) {
            for (Map.Entry<Integer, SequenceTracker> e : inbox.trackers().entrySet()) {
                SequenceTracker tracker = e.getValue();
                lost += tracker.lost(sentBy(e.getKey()));
                duplicates += tracker.duplicates();
                outOfOrder += tracker.outOfOrder();
            }
        }
        result.put("sent", meters.sent.sum())
                .put("acked", meters.acked.sum())
                .put("expected", expectedDeliveries())
                .put("received", meters.received.sum())
                .put("lost", lost)
                .put("duplicates", duplicates)
                .put("out_of_order", outOfOrder)
                .put("unexpected", meters.unexpected.sum())
                .put("dropped_connections", meters.droppedConnections.sum());
    }
}
