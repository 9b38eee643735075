package net.lightqueue.mqtt.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.RetainedMessages;
import net.lightqueue.dispatch.RetainedPage;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.RetainedSource;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The retained messages of the whole cluster. Each broker group keeps the retained message, or
 * the clearing, of each topic published to it; the newest version of a topic is the one with
 * the highest store timestamp, ties broken by the highest broker name, so every broker picks the
 * same one. A clearing newer than a message elsewhere hides it. A group that does not answer in
 * time is left out of the page it was asked for. Lookups are read a page at a time, every group
 * answering with at most {@link #PAGE_VERSIONS} topics and about {@link #PAGE_BYTES}.
 */
public final class ClusterRetained {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");

    /** One group's version of a topic. */
    private record Held(String broker, RetainedVersion version) {
    }

    private static final Comparator<Held> NEWEST_LAST = Comparator
        .comparingLong((Held held) -> held.version().storeTimestamp())
        .thenComparing(Held::broker);

    /** Topics in the order of the index's keys, in which every group returns its pages. */
    private static final Comparator<String> UTF8_ORDER = (a, b) ->
        Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** What one group returns for one page: bounded in topics and in bytes. */
    static final int PAGE_VERSIONS = 1_000;
    static final long PAGE_BYTES = 1 << 20;

    private final RetainedMessages local;
    private final PeerNetwork network;
    private final MqttSettings settings;

    public ClusterRetained(RetainedMessages local, PeerNetwork network, MqttSettings settings) {
        this.local = local;
        this.network = network;
        this.settings = settings;
        network.handle(PeerCodes.RETAINED, (from, body) -> {
            PeerMessages.RetainedRequest request = PeerMessages.retainedRequest(body);
            return CompletableFuture.completedFuture(PeerMessages.retainedPage(
                local.retainedPage(request.filter(), request.after(), PAGE_VERSIONS, PAGE_BYTES)));
        });
    }

    /**
     * The newest retained message of each topic matching the filter across the cluster, in topic
     * order, read a page at a time; what this broker holds alone when it has no peers. An invalid
     * filter fails the first page.
     */
    public RetainedSource matching(String filter) {
        return new Lookup(filter);
    }

    /** One lookup's pages; each continues after the topic the last one ended at. */
    private final class Lookup implements RetainedSource {
        private final String filter;
        private String after;
        private boolean exhausted;

        Lookup(String filter) {
            this.filter = filter;
        }

        @Override
        public CompletableFuture<List<StoredMessage>> nextPage() {
            return page(filter, after).thenApply(page -> {
                after = page.next();
                exhausted = page.last();
                List<StoredMessage> messages = new ArrayList<>(page.versions().size());
                for (RetainedVersion version : page.versions()) {
                    if (!version.cleared()) {
                        messages.add(version.message());
                    }
                }
                return messages;
            });
        }

        @Override
        public boolean exhausted() {
            return exhausted;
        }
    }

    /** The newest version of each topic after {@code after} among every group's next page. */
    private CompletableFuture<RetainedPage> page(String filter, String after) {
        RetainedPage here;
        try {
            here = local.retainedPage(filter, after, PAGE_VERSIONS, PAGE_BYTES);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Map.Entry<String, RetainedPage>>> answers = new ArrayList<>();
        answers.add(CompletableFuture.completedFuture(Map.entry(network.selfName(), here)));
        byte[] request = PeerMessages.retainedRequest(new PeerMessages.RetainedRequest(filter, after));
        for (Peer peer : network.peers()) {
            answers.add(network.call(peer, PeerCodes.RETAINED, request, settings.peerTimeoutMs())
                .thenApply(body -> Map.entry(peer.brokerName(), PeerMessages.retainedPage(body)))
                .exceptionally(failure -> {
                    LOG.warn("MQTT peer {} did not answer the retained messages of '{}': {}; sent without its own",
                        peer.brokerName(), filter, failure.toString());
                    return Map.entry(peer.brokerName(), new RetainedPage(List.of(), null));
                }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> newest(answers));
    }

    /**
     * Merges the groups' pages: only topics up to the smallest one a group's page ended at are
     * known from every group, so the merged page ends there, and the rest comes again next page.
     */
    private static RetainedPage newest(List<CompletableFuture<Map.Entry<String, RetainedPage>>> answers) {
        String end = null;
        for (CompletableFuture<Map.Entry<String, RetainedPage>> answer : answers) {
            RetainedPage page = answer.join().getValue();
            if (!page.last() && (end == null || UTF8_ORDER.compare(page.next(), end) < 0)) {
                end = page.next();
            }
        }
        Map<String, Held> byTopic = new TreeMap<>(UTF8_ORDER);
        for (CompletableFuture<Map.Entry<String, RetainedPage>> answer : answers) {
            String broker = answer.join().getKey();
            for (RetainedVersion version : answer.join().getValue().versions()) {
                if (end == null || UTF8_ORDER.compare(version.topic(), end) <= 0) {
                    byTopic.merge(version.topic(), new Held(broker, version),
                        (held, other) -> NEWEST_LAST.compare(held, other) >= 0 ? held : other);
                }
            }
        }
        return new RetainedPage(byTopic.values().stream().map(Held::version).toList(), end);
    }
}
