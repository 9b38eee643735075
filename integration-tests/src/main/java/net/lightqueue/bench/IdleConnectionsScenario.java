package net.lightqueue.bench;

import java.util.List;

/**
 * conns: C connections with one subscription each, opened at the ramp rate and held idle.
 * Reports the connect rate, each connection's time from connecting to SUBACK, and the broker's
 * memory per connection (held minus idle, over C). The --warmup's worth of such connections is
 * opened and closed first: without it the p99 measured the start of a fresh runner (its first
 * hundreds of connections wait on its class loading, then the ramp catches up in a burst) and of
 * a fresh broker's compiler, 200-500 ms against any broker, rather than connects at the rate.
 */
final class IdleConnectionsScenario implements Scenario {
    private final BenchOptions options;
    private final ClientPlan plan;

    IdleConnectionsScenario(BenchOptions options, ClientPlan plan) {
        this.options = options;
        this.plan = plan;
    }

    @Override
    public void run(Fleet fleet, BrokerSampler broker, Result result) throws InterruptedException {
        long warmUpConnections = options.warmupNanos() / 1_000_000 * options.rampPerSecond() / 1_000;
        int warmUp = (int) Math.min(plan.subscribers().size(), warmUpConnections);
        if (warmUp > 0) {
            fleet.disconnect(fleet.open(plan.warmUpSubscribers(warmUp), false, true));
            // Closed at once they are a storm of their own (the storm-* scenarios measure those):
            // the broker gets as long again to end them before the measured ramp starts.
            Thread.sleep(options.warmupNanos() / 1_000_000);
        }
        result.put("warmup_connections", warmUp);
        broker.sampleMemory("idle", result);
        ResourceWindow connecting = ResourceWindow.start(broker);
        LatencyRecorder handshakes = new LatencyRecorder();
        long start = System.nanoTime();
        List<BenchClient> clients = fleet.open(plan.subscribers(), false, true, handshakes);
        double seconds = (System.nanoTime() - start) / 1e9;
        connecting.finish(result, "connect");
        result.put("connections", clients.size()).put("connect_s", seconds)
                .put("connects_per_s", Throughput.perSecond(clients.size(), seconds));
        Throughput.reportLatency(handshakes.merged(), "connect", result);

        broker.sampleMemory("held", result);
        broker.reportPerItem(result, "idle", "held", clients.size(), "conn");
        ResourceWindow holding = ResourceWindow.start(broker);
        Thread.sleep(options.holdNanos() / 1_000_000);
        holding.finish(result, "hold");
        fleet.disconnect(clients);
    }
}
