package net.lightqueue.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} pairs, each name at most once, every name known; typed getters with defaults. */
final class CommandLine {
    private final Map<String, String> values = new HashMap<>();

    CommandLine(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new UsageException("unknown option " + name);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            if (values.put(name.substring(2), args[i + 1]) != null) {
                throw new UsageException(name + " given twice");
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min) {
        long value = number(name, fallback, min);
        if (value > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " is too large: " + value);
        }
        return (int) value;
    }

    long number(String name, long fallback, long min) {
        String raw = values.get(name);
        long value;
        try {
            value = raw == null ? fallback : Long.parseLong(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + raw + "'");
        }
        if (value < min) {
            throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** Seconds, fractions allowed (0.5), returned in nanoseconds. */
    long seconds(String name, double fallback) {
        String raw = values.get(name);
        double value;
        try {
            value = raw == null ? fallback : Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects seconds, got '" + raw + "'");
        }
        if (value < 0 || Double.isNaN(value)) {
            throw new UsageException("--" + name + " must not be negative");
        }
        return (long) (value * 1e9);
    }

    <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equalsIgnoreCase(raw)) {
                return constant;
            }
        }
        throw new UsageException("--" + name + " does not accept '" + raw + "'");
    }
}
