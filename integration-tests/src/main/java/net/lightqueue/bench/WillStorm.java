package net.lightqueue.bench;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * --storm clients, each with a QoS 1 will carrying its client id, lose their connections at
 * once (sockets closed without DISCONNECT); a will subscriber must receive every will exactly
 * once. Reports how long after the drop the last will arrived.
 */
final class WillStorm implements Storm {
    private final BenchOptions options;
    private final List<ClientSpec> specs;
    private final ClientSpec listenerSpec;
    private WillLedger ledger;
    private BenchClient listener;
    private List<BenchClient> clients = List.of();

    WillStorm(BenchOptions options, ClientPlan plan) {
        this.options = options;
        specs = IntStream.range(0, options.stormSize())
                .mapToObj(i -> ClientSpec.withWill(plan.stormClientId(i), plan.stormTopic("will/" + i))).toList();
        listenerSpec = ClientSpec.subscriber(plan.stormClientId(options.stormSize()), plan.stormTopic("will/+"));
    }

    @Override
    public void prepare(Fleet fleet) throws InterruptedException {
        Set<String> ids = specs.stream().map(ClientSpec::clientId).collect(Collectors.toSet());
        ledger = new WillLedger(ids, fleet.meters());
        listener = fleet.openListener(listenerSpec, ledger);
        clients = fleet.open(specs, false, false);
    }

    @Override
    public void run(Fleet fleet, Result result) throws InterruptedException {
        long start = System.nanoTime();
        clients.forEach(BenchClient::drop);
        boolean all = Fleet.awaitUntil(() -> ledger.unique() >= specs.size(), options.drainNanos());
        long last = ledger.lastArrivalNanos();
        result.put("wills_expected", specs.size()).put("wills_all_received", all)
                .put("wills_last_ms", last == 0 ? 0 : (last - start) / 1e6);
    }

    /** Counted after the bystander drained, so that a will published twice has had time to arrive twice. */
    @Override
    public void end(Fleet fleet, Result result) {
        fleet.disconnect(List.of(listener));
        result.put("wills_received", ledger.unique()).put("wills_missing", ledger.missing())
                .put("wills_duplicated", ledger.duplicates());
    }
}
