package net.lightqueue.bench;

import io.netty.util.collection.IntObjectHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * SUBSCRIBE and UNSUBSCRIBE packets sent after the connection is ready, by packet id, until their
 * SUBACK or UNSUBACK. Packet ids start above the one of the subscription made on connect.
 * Touched only by the connection's event loop.
 */
final class PendingRequests {
    private final int firstPacketId;
    private final IntObjectHashMap<CompletableFuture<Integer>> pending = new IntObjectHashMap<>();
    private int nextPacketId;

    PendingRequests(int firstPacketId) {
        this.firstPacketId = firstPacketId;
        this.nextPacketId = firstPacketId;
    }

    /** Reserves a free packet id for a request answered through {@code answer}. */
    int add(CompletableFuture<Integer> answer) {
        int id = nextPacketId;
        while (pending.containsKey(id)) {
            id = id == 65535 ? firstPacketId : id + 1;
        }
        nextPacketId = id == 65535 ? firstPacketId : id + 1;
        pending.put(id, answer);
        return id;
    }

    /** Completes the request with the acknowledgement's highest reason code; false if none was pending. */
    boolean complete(int packetId, int reasonCode) {
        CompletableFuture<Integer> answer = pending.remove(packetId);
        if (answer == null) {
            return false;
        }
        answer.complete(reasonCode);
        return true;
    }

    void failAll(Throwable cause) {
        pending.values().forEach(answer -> answer.completeExceptionally(cause));
        pending.clear();
    }
}
