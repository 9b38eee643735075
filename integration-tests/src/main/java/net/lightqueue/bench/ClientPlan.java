package net.lightqueue.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients a scenario needs and, for each subscriber, the publishers whose messages it must
 * receive. Topics are {@code <prefix>/<runId>/<n>} ({@code <prefix><n>/<runId>} with a first level
 * of their own) so that concurrent or earlier runs (and their persistent sessions) never mix
 * with this one.
 */
final class ClientPlan {
    private final List<ClientSpec> clients = new ArrayList<>();
    private final String prefix;
    private final String topicRoot;
    private final String runId;
    private final FirstLevel firstLevel;
    private final Map<String, List<Integer>> publishersByTopic = new HashMap<>();

    private ClientPlan(String prefix, String runId, FirstLevel firstLevel) {
        this.prefix = prefix;
        this.topicRoot = prefix + "/" + runId + "/";
        this.runId = runId;
        this.firstLevel = firstLevel;
    }

    static ClientPlan of(BenchOptions o, String runId) {
        ClientPlan plan = new ClientPlan(o.topicPrefix(), runId, o.firstLevel());
        switch (o.scenario()) {
            case PUBSUB, PERSISTENT -> {
                for (int i = 0; i < o.publishers(); i++) {
                    plan.addPublisher(i, plan.topic(i % o.topics()));
                }
                for (int j = 0; j < o.subscribers(); j++) {
                    plan.addSubscriber(j, o.filter() == FilterKind.WILDCARD ? plan.allTopics() : plan.topic(j % o.topics()));
                }
            }
            case FANOUT -> {
                plan.addPublisher(0, plan.topic(0));
                for (int j = 0; j < o.subscribers(); j++) {
                    plan.addSubscriber(j, plan.topic(0));
                }
            }
            case FANIN -> {
                for (int i = 0; i < o.publishers(); i++) {
                    plan.addPublisher(i, plan.topic(i));
                }
                plan.addSubscriber(0, plan.allTopics());
            }
            case P2P -> {
                for (int i = 0; i < o.clients(); i++) {
                    String target = plan.topic((i + 1) % o.clients());
                    plan.add(ClientSpec.peer(plan.clientId("peer", i), i, target, plan.topic(i)));
                }
            }
            case CONNS -> {
                for (int i = 0; i < o.clients(); i++) {
                    plan.addSubscriber(i, plan.topic(i));
                }
            }
            case STORM_CONNECT, STORM_TAKEOVER, STORM_WILLS, STORM_SUBSCRIBE -> {
                plan.addPublisher(0, plan.topic(0));
                plan.addSubscriber(0, plan.topic(0));
            }
        }
        return plan;
    }

    List<ClientSpec> clients() {
        return clients;
    }

    List<ClientSpec> subscribers() {
        return clients.stream().filter(ClientSpec::subscribes).toList();
    }

    /** Clients that only publish; p2p peers are subscribers too and are listed there. */
    List<ClientSpec> publishersOnly() {
        return clients.stream().filter(c -> c.publishes() && !c.subscribes()).toList();
    }

    int publisherCount() {
        return (int) clients.stream().filter(ClientSpec::publishes).count();
    }

    /** Publisher indexes whose topic one of the subscriber's filters matches. */
    int[] expectedPublishers(ClientSpec subscriber) {
        List<Integer> expected = new ArrayList<>();
        for (String filter : subscriber.filters()) {
            if (TopicFilter.isWildcard(filter)) {
                publishersByTopic.forEach((topic, publishers) -> {
                    if (TopicFilter.matches(filter, topic)) {
                        expected.addAll(publishers);
                    }
                });
            } else {
                expected.addAll(publishersByTopic.getOrDefault(filter, List.of()));
            }
        }
        return expected.stream().mapToInt(Integer::intValue).distinct().toArray();
    }

    private void addPublisher(int index, String topic) {
        add(ClientSpec.publisher(clientId("pub", index), index, topic));
    }

    private void addSubscriber(int index, String filter) {
        add(ClientSpec.subscriber(clientId("sub", index), filter));
    }

    private void add(ClientSpec client) {
        clients.add(client);
        if (client.publishes()) {
            publishersByTopic.computeIfAbsent(client.publishTopic(), t -> new ArrayList<>()).add(client.publisherIndex());
        }
    }

    private String clientId(String role, int index) {
        return "bench-" + runId + "-" + role + "-" + index;
    }

    /** Subscribers like a conns run's, with client ids and topics of their own: a warm-up, closed before measuring. */
    List<ClientSpec> warmUpSubscribers(int count) {
        List<ClientSpec> warm = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            warm.add(ClientSpec.subscriber(clientId("warm", i), topicRoot + "warm/" + i));
        }
        return warm;
    }

    /** Client id of a storm scenario's n-th connection; the storm's, not the bystander pair's. */
    String stormClientId(int index) {
        return clientId("storm", index);
    }

    /** A topic (or filter) of the storm, under this run's topics but apart from the bystander's. */
    String stormTopic(String suffix) {
        return topicRoot + "storm/" + suffix;
    }

    private String topic(int n) {
        return firstLevel == FirstLevel.OWN ? prefix + n + "/" + runId : topicRoot + n;
    }

    private String allTopics() {
        return firstLevel == FirstLevel.OWN ? "+/" + runId : topicRoot + "+";
    }
}
