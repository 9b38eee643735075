package net.lightqueue.bench;

import java.util.List;

/**
 * persistent: subscribers create persistent sessions and go offline; publishers send while
 * they are away; subscribers come back without subscribing again and must receive everything.
 * Reports broker memory per offline session and per queued message, and the catch-up rate.
 * Latency is not reported: it would measure the offline time.
 */
final class PersistentSessionScenario implements Scenario {
    private final BenchOptions options;
    private final ClientPlan plan;

    PersistentSessionScenario(BenchOptions options, ClientPlan plan) {
        this.options = options;
        this.plan = plan;
    }

    @Override
    public void run(Fleet fleet, BrokerSampler broker, Result result) throws InterruptedException {
        broker.sampleMemory("idle", result);
        List<ClientSpec> subscribers = plan.subscribers();
        fleet.disconnect(fleet.open(subscribers, true, true));
        broker.sampleMemory("offline", result);
        broker.reportPerItem(result, "idle", "offline", subscribers.size(), "session");

        List<BenchClient> publishers = fleet.open(plan.publishersOnly(), false, true);
        RunMeters meters = fleet.meters();
        long start = System.nanoTime();
        meters.window.open(start);
        ResourceWindow publishing = ResourceWindow.start(broker);
        fleet.startPublishing(publishers, start);
        fleet.awaitPublishersFinished(options.durationNanos());
        fleet.stopPublishing(publishers);
        meters.window.close(System.nanoTime());
        publishing.finish(result, "publish");
        fleet.awaitAcknowledged(options.drainNanos());
        long backlog = fleet.expectedDeliveries();
        broker.sampleMemory("queued", result);
        broker.reportPerItem(result, "offline", "queued", backlog, "queued_msg");

        long reconnect = System.nanoTime();
        long receivedBefore = meters.uniqueReceived.sum();
        ResourceWindow catchingUp = ResourceWindow.start(broker);
        List<BenchClient> returned = fleet.open(subscribers, true, false);
        boolean drained = fleet.awaitDrained(options.drainNanos());
        double seconds = (System.nanoTime() - reconnect) / 1e9;
        long caughtUp = meters.uniqueReceived.sum() - receivedBefore;
        catchingUp.finish(result, "catchup");
        result.put("backlog", backlog).put("drained", drained).put("catchup_s", seconds)
                .put("catchup_per_s", Throughput.perSecond(caughtUp, seconds))
                .put("sent_per_s", Throughput.perSecond(meters.sentInWindow.sum(), meters.window.seconds()));
        fleet.disconnect(returned);
        fleet.disconnect(publishers);
    }
}
