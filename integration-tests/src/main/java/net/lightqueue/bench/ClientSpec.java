package net.lightqueue.bench;

import java.util.List;

/**
 * One client of a scenario: what it publishes to (if anything) and what it subscribes to.
 * Publisher indexes are dense (0..P-1) because they are written into every payload.
 */
record ClientSpec(String clientId, int publisherIndex, String publishTopic, List<String> filters) {
    static final int NOT_A_PUBLISHER = -1;

    static ClientSpec publisher(String clientId, int publisherIndex, String topic) {
        return new ClientSpec(clientId, publisherIndex, topic, List.of());
    }

    static ClientSpec subscriber(String clientId, String filter) {
        return new ClientSpec(clientId, NOT_A_PUBLISHER, null, List.of(filter));
    }

    boolean publishes() {
        return publisherIndex != NOT_A_PUBLISHER;
    }

    boolean subscribes() {
        return !filters.isEmpty();
    }
}
