package net.lightqueue.mqtt.cluster;

/**
 * The request codes of the MQTT peer protocol, inside the range the peer network reserves for
 * the plugin. Every body is a {@link PeerMessages} encoding.
 */
final class PeerCodes {

    /** A session's subscriptions, added to the peer's filter set: it indexes its own publishes for them. */
    static final int SUBSCRIBE = 42_010;
    static final int UNSUBSCRIBE = 42_011;
    /** Every subscription of a session, and its progress in the peer's queues. */
    static final int UNSUBSCRIBE_ALL = 42_012;
    /** Where a session stands in the peer's queues of the listed filters, with its unacknowledged messages. */
    static final int OPEN = 42_013;
    /** A batch of a light queue; arms one arrival signal for the caller on that queue. */
    static final int READ = 42_014;
    /** A session's progress in the peer's queues, recorded in the peer's commitlog. */
    static final int PROGRESS = 42_015;
    /** One-way: queues of the receiver's peer grew (coalesced per queue). */
    static final int ARRIVED = 42_016;
    /** The ends of the listed queues; arms an arrival signal on each, so a lost signal costs one period. */
    static final int ENDS = 42_017;
    /** A client connected elsewhere: the holder of its session hands it over ({@link SessionClaims}). */
    static final int CLAIM = 42_018;
    /** Whether the peer holds a session of the client. */
    static final int HOLDS = 42_019;
    /** The peer's retained messages and clearings of the topics matching a filter ({@link ClusterRetained}). */
    static final int RETAINED = 42_020;

    private PeerCodes() {
    }
}
