package net.lightqueue.host.peer;

/** Told when the set of peers changes; called on the directory's refresh thread, must return quickly. */
public interface PeerListener {

    /** A peer appeared, came back, or moved to a new address (then {@link #left} came first). */
    void joined(Peer peer);

    /** A peer is no longer listed by the name server (it stopped, or the name server dropped it), or moved. */
    void left(Peer peer);
}
