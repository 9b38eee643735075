package net.lightqueue.mqtt.delivery;

import java.util.HashMap;
import java.util.Map;

/**
 * Topic aliases the server uses towards a v5 client, up to the client's Topic Alias Maximum.
 * Aliases are handed out first come, first served and never reassigned, so a client sees the
 * same alias for a topic for the whole connection.
 */
final class OutboundTopicAliases {

    /** For the clients that take none (all of 3.1.1, most of 5): shared, since nothing is ever assigned. */
    private static final OutboundTopicAliases NONE = new OutboundTopicAliases(0);

    private final int maximum;
    private final Map<String, Integer> aliasByTopic = new HashMap<>();

    private OutboundTopicAliases(int maximum) {
        this.maximum = maximum;
    }

    static OutboundTopicAliases upTo(int maximum) {
        return maximum == 0 ? NONE : new OutboundTopicAliases(maximum);
    }

    /** An alias already known to the client for the topic, or 0. */
    int known(String topic) {
        return aliasByTopic.getOrDefault(topic, 0);
    }

    /** The alias {@link #assign} gives the next topic, or 0 when none is left. */
    int next() {
        return aliasByTopic.size() < maximum ? aliasByTopic.size() + 1 : 0;
    }

    /** Gives the topic the {@link #next} alias, which is not 0; the PUBLISH carrying it must also carry the topic. */
    void assign(String topic) {
        aliasByTopic.put(topic, next());
    }
}
