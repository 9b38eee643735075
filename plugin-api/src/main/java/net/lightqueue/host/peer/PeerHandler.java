package net.lightqueue.host.peer;

import java.util.concurrent.CompletableFuture;

/** Serves one request code of the plugin's peer protocol. */
@FunctionalInterface
public interface PeerHandler {

    /**
     * Answers {@code request} from the peer group {@code fromBroker}; a failed future becomes an
     * error answer that fails the caller's future with its message.
     */
    CompletableFuture<byte[]> handle(String fromBroker, byte[] request);
}
