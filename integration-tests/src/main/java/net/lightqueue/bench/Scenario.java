package net.lightqueue.bench;

/** The phases of one scenario kind; figures go into the result, accounting is added by the run. */
interface Scenario {
    void run(Fleet fleet, BrokerSampler broker, Result result) throws InterruptedException;

    static Scenario of(BenchOptions options, ClientPlan plan) {
        return switch (options.scenario()) {
            case PUBSUB, FANOUT, FANIN, P2P -> new MessageFlowScenario(options, plan);
            case CONNS -> new IdleConnectionsScenario(options, plan);
            case PERSISTENT -> new PersistentSessionScenario(options, plan);
            case STORM_CONNECT, STORM_TAKEOVER, STORM_WILLS, STORM_SUBSCRIBE -> new StormScenario(options, plan);
        };
    }
}
