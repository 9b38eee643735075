package net.lightqueue.bench;

/**
 * What a storm scenario does to the broker while its bystander pair exchanges messages:
 * connections it needs opened beforehand, the storm itself (whose figures go into the result),
 * and what is left to close or count once the bystander has drained.
 */
interface Storm {
    void prepare(Fleet fleet) throws InterruptedException;

    void run(Fleet fleet, Result result) throws InterruptedException;

    void end(Fleet fleet, Result result) throws InterruptedException;

    static Storm of(BenchOptions options, ClientPlan plan) {
        return switch (options.scenario()) {
            case STORM_CONNECT -> new ConnectStorm(options, plan);
            case STORM_TAKEOVER -> new TakeoverStorm(options, plan);
            case STORM_WILLS -> new WillStorm(options, plan);
            case STORM_SUBSCRIBE -> new SubscribeStorm(options, plan);
            default -> throw new IllegalArgumentException(options.scenario() + " is not a storm");
        };
    }
}
