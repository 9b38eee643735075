package net.lightqueue.bench;

import java.util.List;

/**
 * One client of a scenario: what it publishes to (if anything), what it subscribes to, and the
 * topic of its will (null for none). Publisher indexes are dense (0..P-1) because they are
 * written into every payload.
 */
record ClientSpec(String clientId, int publisherIndex, String publishTopic, List<String> filters, String willTopic) {
    static final int NOT_A_PUBLISHER = -1;

    static ClientSpec publisher(String clientId, int publisherIndex, String topic) {
        return new ClientSpec(clientId, publisherIndex, topic, List.of(), null);
    }

    static ClientSpec subscriber(String clientId, String filter) {
        return new ClientSpec(clientId, NOT_A_PUBLISHER, null, List.of(filter), null);
    }

    static ClientSpec peer(String clientId, int publisherIndex, String publishTopic, String filter) {
        return new ClientSpec(clientId, publisherIndex, publishTopic, List.of(filter), null);
    }

    /** A connection that neither publishes nor subscribes when it connects. */
    static ClientSpec idle(String clientId) {
        return new ClientSpec(clientId, NOT_A_PUBLISHER, null, List.of(), null);
    }

    /** An idle connection whose will, its client id at QoS 1, goes to {@code willTopic}. */
    static ClientSpec withWill(String clientId, String willTopic) {
        return new ClientSpec(clientId, NOT_A_PUBLISHER, null, List.of(), willTopic);
    }

    boolean publishes() {
        return publisherIndex != NOT_A_PUBLISHER;
    }

    boolean subscribes() {
        return !filters.isEmpty();
    }
}
