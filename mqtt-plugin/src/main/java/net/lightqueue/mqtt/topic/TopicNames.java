package net.lightqueue.mqtt.topic;

import java.nio.charset.StandardCharsets;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.mqtt.codec.InputProblem;
import net.lightqueue.mqtt.codec.MqttStrings;

/**
 * The server's rules for topic names and filters: the protocol's (shared with the dispatcher),
 * those of every MQTT string ({@link MqttStrings}), plus what this server adds.
 */
public final class TopicNames {

    private TopicNames() {
    }

    /** Why {@code name} cannot be published to, or null if it can. */
    public static InputProblem nameProblem(String name, int maxBytes) {
        InputProblem encoding = encodingProblem(name, maxBytes);
        return encoding != null ? encoding : Topics.validateName(name).map(InputProblem::invalid).orElse(null);
    }

    /** Why {@code filter} cannot be subscribed to, or null if it can. */
    public static InputProblem filterProblem(String filter, int maxBytes) {
        InputProblem encoding = encodingProblem(filter, maxBytes);
        return encoding != null ? encoding : Topics.validateFilter(filter).map(InputProblem::invalid).orElse(null);
    }

    private static InputProblem encodingProblem(String text, int maxBytes) {
        InputProblem malformed = MqttStrings.problem(text);
        if (malformed != null) {
            return malformed;
        }
        // RocketMQ separates message properties with these, and the topic is stored in one.
        if (text.indexOf('\u0001') >= 0 || text.indexOf('\u0002') >= 0) {
            return InputProblem.invalid("U+0001 or U+0002 in a topic");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return InputProblem.invalid("topic longer than " + maxBytes + " bytes");
        }
        return null;
    }
}
