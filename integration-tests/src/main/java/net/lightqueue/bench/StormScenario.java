package net.lightqueue.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * storm-*: a bystander publisher and subscriber exchange messages at a modest rate on their own
 * connections; after a calm --warmup, the {@link Storm} runs. Reports the storm's own figures and
 * the bystander's latency for messages sent before the storm and during it; the run's accounting
 * tells whether the bystander lost or reordered anything.
 */
final class StormScenario implements Scenario {
    private final BenchOptions options;
    private final ClientPlan plan;

    StormScenario(BenchOptions options, ClientPlan plan) {
        this.options = options;
        this.plan = plan;
    }

    @Override
    public void run(Fleet fleet, BrokerSampler broker, Result result) throws InterruptedException {
        Storm storm = Storm.of(options, plan);
        List<BenchClient> bystanders = new ArrayList<>(fleet.open(plan.subscribers(), false, true));
        bystanders.addAll(fleet.open(plan.publishersOnly(), false, true));
        storm.prepare(fleet);

        RunMeters meters = fleet.meters();
        long start = System.nanoTime();
        meters.window.open(start);
        fleet.startPublishing(bystanders, start);
        Thread.sleep(options.warmupNanos() / 1_000_000);

        long stormStart = System.nanoTime();
        meters.window.close(stormStart);
        meters.storm.open(stormStart);
        ResourceWindow resources = ResourceWindow.start(broker);
        storm.run(fleet, result);
        meters.storm.close(System.nanoTime());
        resources.finish(result, "storm");

        fleet.stopPublishing(bystanders);
        boolean drained = fleet.awaitDrained(options.drainNanos());
        result.put("drained", drained);
        storm.end(fleet, result);
        fleet.disconnect(bystanders);

        result.put("bystander_before_sent", meters.sentInWindow.sum());
        Throughput.reportLatency(meters.latency.merged(), "bystander_before", result);
        result.put("bystander_storm_sent", meters.sentInStorm.sum());
        Throughput.reportLatency(meters.stormLatency.merged(), "bystander_storm", result);
    }
}
