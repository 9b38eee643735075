package net.lightqueue.bench;

import java.util.List;
import java.util.stream.IntStream;

/** --storm connections opened at --ramp (at most 1,000 handshakes in flight), then closed. */
final class ConnectStorm implements Storm {
    private final List<ClientSpec> specs;
    private List<BenchClient> clients = List.of();

    ConnectStorm(BenchOptions options, ClientPlan plan) {
        specs = IntStream.range(0, options.stormSize()).mapToObj(i -> ClientSpec.idle(plan.stormClientId(i))).toList();
    }

    @Override
    public void prepare(Fleet fleet) {
        // the storm is the connecting
    }

    @Override
    public void run(Fleet fleet, Result result) throws InterruptedException {
        LatencyRecorder handshakes = new LatencyRecorder();
        long start = System.nanoTime();
        clients = fleet.open(specs, false, false, handshakes);
        double seconds = (System.nanoTime() - start) / 1e9;
        result.put("storm_connections", clients.size()).put("storm_s", seconds)
                .put("connects_per_s", Throughput.perSecond(clients.size(), seconds));
        Throughput.reportLatency(handshakes.merged(), "connect", result);
    }

    @Override
    public void end(Fleet fleet, Result result) {
        fleet.disconnect(clients);
    }
}
