package net.lightqueue.mqtt.topic;

import java.nio.charset.StandardCharsets;
import net.lightqueue.dispatch.topic.Topics;

/**
 * The server's rules for topic names and filters: the protocol's (shared with the dispatcher)
 * plus what this server adds. Netty decodes strings leniently (an invalid UTF-8 sequence
 * becomes U+FFFD), so a replacement character is taken as the trace of invalid UTF-8 on the wire.
 */
public final class TopicNames {

    /** Prefix of every problem that makes the packet malformed rather than just refused. */
    public static final String MALFORMED = "malformed: ";

    private TopicNames() {
    }

    /** Why {@code name} cannot be published to, or null if it can. */
    public static String nameProblem(String name, int maxBytes) {
        String encoding = encodingProblem(name, maxBytes);
        return encoding != null ? encoding : Topics.validateName(name).orElse(null);
    }

    /** Why {@code filter} cannot be subscribed to, or null if it can. */
    public static String filterProblem(String filter, int maxBytes) {
        String encoding = encodingProblem(filter, maxBytes);
        return encoding != null ? encoding : Topics.validateFilter(filter).orElse(null);
    }

    private static String encodingProblem(String text, int maxBytes) {
        if (text.indexOf('\uFFFD') >= 0) {
            return MALFORMED + "not well-formed UTF-8 [MQTT-1.5.4-1]";
        }
        if (text.indexOf('\u0000') >= 0) {
            return MALFORMED + "U+0000 in a topic [MQTT-1.5.4-2]";
        }
        // RocketMQ separates message properties with these, and the topic is stored in one.
        if (text.indexOf('\u0001') >= 0 || text.indexOf('\u0002') >= 0) {
            return "U+0001 or U+0002 in a topic";
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "topic longer than " + maxBytes + " bytes";
        }
        return null;
    }
}
