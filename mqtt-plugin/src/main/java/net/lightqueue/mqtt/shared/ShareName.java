package net.lightqueue.mqtt.shared;

import net.lightqueue.mqtt.codec.InputProblem;

/**
 * A shared subscription's topic filter, {@code $share/{group}/{filter}} (MQTT 5 section 4.8.2).
 *
 * @param name the whole filter as the client gave it: the group's identity on this broker
 * @param filter the filter whose messages the group shares
 */
public record ShareName(String name, String group, String filter) {

    public static final String PREFIX = "$share/";

    public static boolean isShared(String filter) {
        return filter.startsWith(PREFIX);
    }

    /** Why a {@code $share/} filter is not a valid shared subscription, or null if it is. */
    public static InputProblem problem(String shared) {
        int slash = shared.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return InputProblem.invalid("a shared subscription needs $share/{group}/{filter} [MQTT-4.8.2-1]");
        }
        String group = shared.substring(PREFIX.length(), slash);
        if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
            return InputProblem.invalid("share name empty or with a wildcard [MQTT-4.8.2-2]");
        }
        return shared.length() == slash + 1
            ? InputProblem.invalid("a shared subscription needs a topic filter [MQTT-4.8.2-1]") : null;
    }

    /** The filter whose messages a subscription gets: without {@code $share/group/} for a (valid) shared one. */
    public static String topicFilter(String subscribed) {
        return isShared(subscribed) ? parse(subscribed).filter() : subscribed;
    }

    /** Splits a filter for which {@link #problem} found nothing. */
    public static ShareName parse(String shared) {
        int slash = shared.indexOf('/', PREFIX.length());
        return new ShareName(shared, shared.substring(PREFIX.length(), slash), shared.substring(slash + 1));
    }
}
