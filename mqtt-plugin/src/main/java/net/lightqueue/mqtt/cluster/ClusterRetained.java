package net.lightqueue.mqtt.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.RetainedMessages;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The retained messages of the whole cluster. Each broker group keeps the retained message, or
 * the clearing, of each topic published to it; the newest version of a topic is the one with
 * the highest store timestamp, ties broken by the highest broker name, so every broker picks the
 * same one. A clearing newer than a message elsewhere hides it. A group that does not answer in
 * time is left out of the lookup.
 */
public final class ClusterRetained {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");

    /** One group's version of a topic. */
    private record Held(String broker, RetainedVersion version) {
    }

    private static final Comparator<Held> NEWEST_LAST = Comparator
        .comparingLong((Held held) -> held.version().storeTimestamp())
        .thenComparing(Held::broker);

    private final RetainedMessages local;
    private final PeerNetwork network;
    private final MqttSettings settings;

    public ClusterRetained(RetainedMessages local, PeerNetwork network, MqttSettings settings) {
        this.local = local;
        this.network = network;
        this.settings = settings;
        network.handle(PeerCodes.RETAINED, (from, body) -> CompletableFuture.completedFuture(
            PeerMessages.retained(local.retainedVersions(new String(body, StandardCharsets.UTF_8)))));
    }

    /**
     * The newest retained message of each topic matching the filter across the cluster, in topic
     * order; what this broker holds alone when it has no peers.
     *
     * @throws IllegalArgumentException for an invalid filter
     */
    public CompletableFuture<List<StoredMessage>> matching(String filter) {
        List<RetainedVersion> here = local.retainedVersions(filter);
        List<CompletableFuture<Map.Entry<String, List<RetainedVersion>>>> answers = new ArrayList<>();
        answers.add(CompletableFuture.completedFuture(Map.entry(network.selfName(), here)));
        for (Peer peer : network.peers()) {
            answers.add(network.call(peer, PeerCodes.RETAINED, filter.getBytes(StandardCharsets.UTF_8), settings.peerTimeoutMs())
                .thenApply(body -> Map.entry(peer.brokerName(), PeerMessages.retained(body)))
                .exceptionally(failure -> {
                    LOG.warn("MQTT peer {} did not answer the retained messages of '{}': {}; sent without its own",
                        peer.brokerName(), filter, failure.toString());
                    return Map.entry(peer.brokerName(), List.of());
                }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> newest(answers));
    }

    private static List<StoredMessage> newest(List<CompletableFuture<Map.Entry<String, List<RetainedVersion>>>> answers) {
        Map<String, Held> byTopic = new TreeMap<>();
        for (CompletableFuture<Map.Entry<String, List<RetainedVersion>>> answer : answers) {
            String broker = answer.join().getKey();
            for (RetainedVersion version : answer.join().getValue()) {
                byTopic.merge(version.topic(), new Held(broker, version),
                    (held, other) -> NEWEST_LAST.compare(held, other) >= 0 ? held : other);
            }
        }
        List<StoredMessage> messages = new ArrayList<>(byTopic.size());
        for (Held held : byTopic.values()) {
            if (!held.version().cleared()) {
                messages.add(held.version().message());
            }
        }
        return messages;
    }
}
