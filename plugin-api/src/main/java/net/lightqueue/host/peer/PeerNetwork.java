package net.lightqueue.host.peer;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The other broker groups of this broker's cluster ({@code brokerClusterName}) that run the
 * plugin, found through the name server, and calls to them over the broker's own remoting port.
 * A broker without a name server, or alone in its cluster, has no peers.
 */
public interface PeerNetwork {

    /** This broker's group, as peers know it. */
    String selfName();

    /** The masters of the other groups as of the last refresh. */
    Collection<Peer> peers();

    /** The master of group {@code brokerName} as of the last refresh, or null; without copying the peers. */
    Peer peer(String brokerName);

    /**
     * The slaves of the other groups as of the last refresh ({@code brokerId > 0} in the name
     * server's route data), grouped by {@code brokerName}, lowest brokerId first. A slave holds
     * its group's commitlog and whatever is derived from it, and cannot write; it is listed
     * whether or not its master is a peer, and whether or not it runs the host (it is not asked).
     */
    Collection<Peer> slaves();

    void addListener(PeerListener listener);

    /** Serves {@code requestCode} on the broker's remoting port; only before the plugin's start ends. */
    void handle(int requestCode, PeerHandler handler);

    /**
     * Calls a peer; fails with {@link PeerUnavailableException} when it cannot be reached in time
     * or answers with an error. Never blocks the caller; the future completes on a remoting
     * thread, so what depends on it must not block either.
     */
    CompletableFuture<byte[]> call(Peer peer, int requestCode, byte[] request, long timeoutMillis);

    /**
     * Sends without an answer, best effort: a message that cannot be sent is dropped, and
     * messages are handled in no particular order.
     */
    void tell(Peer peer, int requestCode, byte[] message);
}
