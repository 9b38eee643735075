package net.lightqueue.dispatch.topic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MQTT topic names and topic filters (MQTT 3.1.1 and 5.0, sections 1.5.4 and 4.7): validation
 * with a reason a client can be told, matching, and splitting into levels.
 *
 * <p>Shared subscriptions ({@code $share/group/filter}) are not parsed here: strip the prefix
 * first and validate the remaining filter.
 */
public final class Topics {

    /** An MQTT UTF-8 string holds at most 65535 bytes. */
    public static final int MAX_BYTES = 65_535;

    public static final char LEVEL_SEPARATOR = '/';
    public static final char SINGLE_LEVEL_WILDCARD = '+';
    public static final char MULTI_LEVEL_WILDCARD = '#';

    private Topics() {
    }

    /**
     * Checks a topic name as found in a PUBLISH or a will.
     *
     * @return empty if valid, else why not
     */
    public static Optional<String> validateName(String topic) {
        Optional<String> string = validateString("topic name", topic);
        if (string.isPresent()) {
            return string;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == SINGLE_LEVEL_WILDCARD || c == MULTI_LEVEL_WILDCARD) {
                return Optional.of("topic name must not contain wildcard '" + c + "' (at index " + i + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a topic filter as found in a SUBSCRIBE or UNSUBSCRIBE.
     *
     * @return empty if valid, else why not
     */
    public static Optional<String> validateFilter(String filter) {
        Optional<String> string = validateString("topic filter", filter);
        if (string.isPresent()) {
            return string;
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i < filter.length() && filter.charAt(i) != LEVEL_SEPARATOR) {
                continue;
            }
            Optional<String> level = validateFilterLevel(filter, levelStart, i);
            if (level.isPresent()) {
                return level;
            }
            levelStart = i + 1;
        }
        return Optional.empty();
    }

    private static Optional<String> validateFilterLevel(String filter, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = filter.charAt(i);
            if (c == SINGLE_LEVEL_WILDCARD && end - start != 1) {
                return Optional.of("'+' must occupy an entire level of the topic filter (at index " + i + ")");
            }
            if (c == MULTI_LEVEL_WILDCARD && (end - start != 1 || end != filter.length())) {
                return Optional.of("'#' must be the last level of the topic filter, alone (at index " + i + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> validateString(String what, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(what + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return Optional.of(what + " must not contain U+0000 (at index " + i + ")");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    return Optional.of(what + " is not well-formed UTF-8 (unpaired surrogate at index " + i + ")");
                }
                i++;
            }
        }
        int bytes = utf8Length(value);
        if (bytes > MAX_BYTES) {
            return Optional.of(what + " is " + bytes + " bytes long, at most " + MAX_BYTES + " are allowed");
        }
        return Optional.empty();
    }

    /** Exact only when it matters: a string of fewer than MAX_BYTES / 3 chars cannot exceed MAX_BYTES. */
    private static int utf8Length(String value) {
        return value.length() < MAX_BYTES / 3 ? value.length() : value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether a (valid) filter contains a wildcard, i.e. can match more than one topic name. */
    public static boolean isWildcard(String filter) {
        return filter.indexOf(SINGLE_LEVEL_WILDCARD) >= 0 || filter.indexOf(MULTI_LEVEL_WILDCARD) >= 0;
    }

    /** The first level: {@code home} for {@code home/kitchen/temp}, the whole name if it has one level. */
    public static String firstLevel(String topic) {
        int separator = topic.indexOf(LEVEL_SEPARATOR);
        return separator < 0 ? topic : topic.substring(0, separator);
    }

    /** The levels, empty levels included: {@code /a/} has the levels "", "a" and "". */
    public static String[] levels(String topicOrFilter) {
        List<String> levels = new ArrayList<>(8);
        int start = 0;
        int separator;
        while ((separator = topicOrFilter.indexOf(LEVEL_SEPARATOR, start)) >= 0) {
            levels.add(topicOrFilter.substring(start, separator));
            start = separator + 1;
        }
        levels.add(topicOrFilter.substring(start));
        return levels.toArray(new String[0]);
    }

    /**
     * Whether a valid {@code filter} matches a valid topic {@code name}, level by level, for one
     * pair. {@link FilterSet} matches a name against many filters at once with the same rules:
     * {@code +} matches exactly one level, {@code #} the rest including the parent level
     * ({@code a/#} matches {@code a}), and a wildcard in the first level never matches a name
     * beginning with {@code $} [MQTT-4.7.2-1].
     */
    public static boolean matches(String filter, String name) {
        String[] filterLevels = levels(filter);
        String[] nameLevels = levels(name);
        boolean dollar = name.startsWith("$");
        for (int i = 0; i < filterLevels.length; i++) {
            String level = filterLevels[i];
            boolean wildcard = level.equals("+") || level.equals("#");
            if (wildcard && i == 0 && dollar) {
                return false;
            }
            if (level.equals("#")) {
                return true;
            }
            if (i >= nameLevels.length || !level.equals("+") && !level.equals(nameLevels[i])) {
                return false;
            }
        }
        return filterLevels.length == nameLevels.length;
    }
}
