package net.lightqueue.bench;

import java.util.List;

/**
 * conns: C connections with one subscription each, opened at the ramp rate and held idle.
 * Reports the connect rate, each connection's time from connecting to SUBACK, and the broker's
 * memory per connection (held minus idle, over C).
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
