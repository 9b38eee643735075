package net.lightqueue.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * --storm SUBSCRIBE/UNSUBSCRIBE pairs, each to its own filter, spread over --clients
 * connections; each connection sends its next request as soon as the previous one is
 * acknowledged. Reports acknowledgements per second and their latency; a failure reason code
 * or a request not acknowledged within --connect-timeout breaks the run (and stops that
 * connection's flood).
 */
final class SubscribeStorm implements Storm {
    private static final int FAILURE_REASON_CODES = 0x80;

    private final BenchOptions options;
    private final ClientPlan plan;
    private final List<ClientSpec> specs;
    private List<BenchClient> clients = List.of();

    SubscribeStorm(BenchOptions options, ClientPlan plan) {
        this.options = options;
        this.plan = plan;
        specs = IntStream.range(0, options.clients()).mapToObj(i -> ClientSpec.idle(plan.stormClientId(i))).toList();
    }

    @Override
    public void prepare(Fleet fleet) throws InterruptedException {
        clients = fleet.open(specs, false, false);
    }

    @Override
    public void run(Fleet fleet, Result result) {
        LatencyRecorder acks = new LatencyRecorder();
        LongAdder refused = new LongAdder();
        LongAdder failed = new LongAdder();
        List<CompletableFuture<Void>> flows = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients.size(); c++) {
            BenchClient client = clients.get(c);
            CompletableFuture<Void> flow = CompletableFuture.completedFuture(null);
            for (int pair = c; pair < options.stormSize(); pair += clients.size()) {
                String filter = plan.stormTopic("sub/" + pair);
                flow = flow.thenCompose(v -> timed(() -> client.subscribe(filter), acks, refused))
                        .thenCompose(v -> timed(() -> client.unsubscribe(filter), acks, refused));
            }
            flows.add(flow.exceptionally(e -> {
                failed.increment();
                return null;
            }));
        }
        CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        LatencyHistogram latency = acks.merged();
        result.put("sub_unsub_pairs", options.stormSize()).put("storm_s", seconds)
                .put("acks_per_s", Throughput.perSecond(latency.total(), seconds))
                .put("storm_refused", refused.sum()).put("storm_stalled_connections", failed.sum());
        Throughput.reportLatency(latency, "ack", result);
    }

    /** Sends the request when called and records its acknowledgement's latency, counting failure reason codes. */
    private CompletableFuture<Void> timed(Supplier<CompletableFuture<Integer>> request, LatencyRecorder acks,
            LongAdder refused) {
        long sent = System.nanoTime();
        return request.get().orTimeout(options.connectTimeoutNanos(), TimeUnit.NANOSECONDS).thenAccept(reasonCode -> {
            acks.recordMicros((System.nanoTime() - sent) / 1_000);
            if (reasonCode >= FAILURE_REASON_CODES) {
                refused.increment();
            }
        });
    }

    @Override
    public void end(Fleet fleet, Result result) {
        fleet.disconnect(clients);
    }
}
