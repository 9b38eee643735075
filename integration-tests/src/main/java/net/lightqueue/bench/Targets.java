package net.lightqueue.bench;

import java.net.InetSocketAddress;

/**
 * Where each client connects: subscribers to the subscriber broker, every other client to the
 * broker. The two differ in a cross-broker run, where publishers and subscribers sit on
 * different brokers of one cluster.
 */
record Targets(InetSocketAddress broker, InetSocketAddress subscriberBroker) {

    /** Both addresses of {@code options}, resolved; loopback only. */
    static Targets of(BenchOptions options) {
        return new Targets(LoopbackAddresses.target(options.host(), options.port()),
                LoopbackAddresses.target(options.subscriberHost(), options.subscriberPort()));
    }

    InetSocketAddress of(ClientSpec client) {
        return client.subscribes() ? subscriberBroker : broker;
    }

    @Override
    public String toString() {
        return broker.equals(subscriberBroker) ? broker.toString()
                : broker + " (publishers), " + subscriberBroker + " (subscribers)";
    }
}
