package net.lightqueue.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * pubsub, fanout, fanin, p2p: subscribers first, then publishers; warm-up, a measured window,
 * then publishing stops and the last messages drain. Reports rates over the window and
 * end-to-end latency of messages sent inside it.
 */
final class MessageFlowScenario implements Scenario {
    private final BenchOptions options;
    private final ClientPlan plan;

    MessageFlowScenario(BenchOptions options, ClientPlan plan) {
        this.options = options;
        this.plan = plan;
    }

    @Override
    public void run(Fleet fleet, BrokerSampler broker, Result result) throws InterruptedException {
        broker.sampleMemory("idle", result);
        List<BenchClient> clients = new ArrayList<>(fleet.open(plan.subscribers(), false, true));
        clients.addAll(fleet.open(plan.publishersOnly(), false, true));

        RunMeters meters = fleet.meters();
        long start = System.nanoTime();
        meters.window.open(start + options.warmupNanos());
        fleet.startPublishing(clients, start);
        boolean finished = fleet.awaitPublishersFinished(options.warmupNanos());
        ResourceWindow resources = ResourceWindow.start(broker);
        if (!finished) {
            fleet.awaitPublishersFinished(options.durationNanos());
        }
        meters.window.close(System.nanoTime());
        resources.finish(result, "load");
        fleet.stopPublishing(clients);
        // After the publishers stopped: the heap probe collects garbage in the broker (a pause of
        // up to a few hundred milliseconds) and would delay the last messages of the window.
        broker.sampleMemory("load", result);
        long drainStart = System.nanoTime();
        boolean drained = fleet.awaitDrained(options.drainNanos());
        result.put("drained", drained).put("drain_s", (System.nanoTime() - drainStart) / 1e9);
        fleet.disconnect(clients);

        Throughput.report(meters, result);
    }
}
