package net.lightqueue.mqtt.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.persistence.HandoverRecord;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Sessions follow their client across broker groups. A CONNECT asks every peer to hand over the
 * client's session; the one that holds it (connected or waiting for its client) ends its
 * connection with "session taken over", records where the session stands, gives up ownership and
 * answers with the session's small state record. Asking every peer costs one call per peer per
 * CONNECT, and needs no directory that would have to follow membership changes.
 */
public final class SessionClaims {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");
    private final PeerNetwork network;
    private final MqttSettings settings;

    public SessionClaims(PeerNetwork network, MqttSettings settings) {
        this.network = network;
        this.settings = settings;
    }

    /**
     * Serves the peers' claims with {@code handOver}: given a client id, it gives up the session
     * held here and completes with its record, or with null when there is none.
     */
    public void serve(Function<String, CompletableFuture<HandoverRecord>> handOver, Predicate<String> holds) {
        network.handle(PeerCodes.HOLDS, (from, body) ->
            CompletableFuture.completedFuture(new byte[] {(byte) (holds.test(clientId(body)) ? 1 : 0)}));
        network.handle(PeerCodes.CLAIM, (from, body) -> {
            String clientId = clientId(body);
            return handOver.apply(clientId).thenApply(record -> {
                if (record != null) {
                    LOG.info("session of client '{}' moved to {}", clientId, from);
                }
                return record == null ? new byte[0] : record.encode();
            });
        });
    }

    /**
     * Takes the client's session from whichever peer holds it; null when no peer that answered
     * does. A peer that does not answer in time keeps what it holds: it is logged.
     */
    public CompletableFuture<HandoverRecord> claim(String clientId) {
        List<CompletableFuture<HandoverRecord>> answers = new ArrayList<>();
        for (Peer peer : network.peers()) {
            answers.add(network.call(peer, PeerCodes.CLAIM, body(clientId), settings.peerTimeoutMs())
                .thenApply(answer -> answer.length == 0 ? null : HandoverRecord.decode(answer))
                .exceptionally(failure -> {
                    LOG.warn("MQTT peer {} did not answer the claim of client '{}': {}; a session it holds stays there",
                        peer.brokerName(), clientId, failure.toString());
                    return null;
                }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> newest(answers));
    }

    /**
     * Whether a peer holds a session of the client (a broker that was away and finds a session
     * of its own that its client took elsewhere meanwhile); false when no peer says so.
     */
    public CompletableFuture<Boolean> heldElsewhere(String clientId) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (Peer peer : network.peers()) {
            answers.add(network.call(peer, PeerCodes.HOLDS, body(clientId), settings.peerTimeoutMs())
                .thenApply(answer -> answer.length == 1 && answer[0] == 1)
                .exceptionally(failure -> false));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .thenApply(done -> answers.stream().anyMatch(CompletableFuture::join));
    }

    /** Normally one peer holds the session; after a partition, the one its client used last wins. */
    private static HandoverRecord newest(List<CompletableFuture<HandoverRecord>> answers) {
        HandoverRecord newest = null;
        for (CompletableFuture<HandoverRecord> answer : answers) {
            HandoverRecord record = answer.join();
            if (record != null && (newest == null || record.session().epoch() > newest.session().epoch())) {
                newest = record;
            }
        }
        return newest;
    }

    private static byte[] body(String clientId) {
        return clientId.getBytes(StandardCharsets.UTF_8);
    }

    private static String clientId(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
