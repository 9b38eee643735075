package net.lightqueue.bench;

import java.util.Locale;

enum ScenarioName {
    /** P publishers, S subscribers, one or many topics, exact or wildcard filters. */
    PUBSUB,
    /** One publisher, N subscribers of its topic. */
    FANOUT,
    /** N publishers on their own topics, one wildcard subscriber. */
    FANIN,
    /** Each client subscribes to its own topic and publishes to the next client's. */
    P2P,
    /** C idle connections with one subscription each: connection cost, not message flow. */
    CONNS,
    /** Subscribers go offline with a persistent session, publishers go on, subscribers come back. */
    PERSISTENT,
    /** A burst of connections, while a bystander pair exchanges messages. */
    STORM_CONNECT,
    /** One client id taken over back and forth between two connections, while a bystander pair exchanges messages. */
    STORM_TAKEOVER,
    /** Clients with wills all lose their connections at once, while a bystander pair exchanges messages. */
    STORM_WILLS,
    /** A flood of SUBSCRIBE/UNSUBSCRIBE, while a bystander pair exchanges messages. */
    STORM_SUBSCRIBE;

    boolean storm() {
        return name().startsWith("STORM_");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
