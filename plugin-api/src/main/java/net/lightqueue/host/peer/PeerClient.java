package net.lightqueue.host.peer;

import java.util.concurrent.CompletableFuture;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.remoting.RemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode;

/** Sends peer requests through the broker's own remoting client (the one it talks to the name server with). */
final class PeerClient {

    /** The ext field that carries the caller's {@code brokerName}. */
    static final String FROM_BROKER = "lightqueuePeerFrom";

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.host.peer.PeerClient");
    private static final byte[] EMPTY = new byte[0];
    /** How long a one-way send may wait for a free send slot; it then gives up, as a tell may. */
    private static final long TELL_TIMEOUT_MILLIS = 1_000;

    private final RemotingClient remoting;
    private final String selfName;

    PeerClient(RemotingClient remoting, String selfName) {
        this.remoting = remoting;
        this.selfName = selfName;
    }

    /** The peer's answer whatever its code; fails only when no answer came (connect, send, timeout). */
    CompletableFuture<RemotingCommand> send(Peer peer, int requestCode, byte[] body, long timeoutMillis) {
        return remoting.invoke(peer.address(), request(requestCode, body), timeoutMillis);
    }

    CompletableFuture<byte[]> call(Peer peer, int requestCode, byte[] request, long timeoutMillis) {
        return send(peer, requestCode, request, timeoutMillis).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = Failures.unwrap(failure);
                throw new PeerUnavailableException(describe(peer, requestCode) + " got no answer: " + cause, cause);
            }
            if (response.getCode() != RemotingSysResponseCode.SUCCESS) {
                throw new PeerUnavailableException(describe(peer, requestCode) + " failed with code "
                    + response.getCode() + ": " + response.getRemark(), null);
            }
            return response.getBody() == null ? EMPTY : response.getBody();
        });
    }

    void tell(Peer peer, int requestCode, byte[] message) {
        try {
            remoting.invokeOneway(peer.address(), request(requestCode, message), TELL_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.debug("{} not sent: interrupted", describe(peer, requestCode));
        } catch (Exception e) {
            LOG.debug("{} not sent: {}", describe(peer, requestCode), e.toString());
        }
    }

    private RemotingCommand request(int requestCode, byte[] body) {
        RemotingCommand request = RemotingCommand.createRequestCommand(requestCode, null);
        request.addExtField(FROM_BROKER, selfName);
        request.setBody(body);
        return request;
    }

    private static String describe(Peer peer, int requestCode) {
        return "request " + requestCode + " to peer " + peer.brokerName() + " at " + peer.address();
    }
}
