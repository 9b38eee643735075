package net.lightqueue.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A run's figures in the order they were recorded. Printed twice: aligned for people, and as
 * the final single {@code RESULT {...}} JSON line for scripts.
 */
final class Result {
    static final String LINE_PREFIX = "RESULT ";

    private final Map<String, Object> values = new LinkedHashMap<>();

    Result put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    long getLong(String key) {
        return ((Number) values.getOrDefault(key, 0L)).longValue();
    }

    void printReport(PrintStream out) {
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        values.forEach((k, v) -> out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", k, format(v)));
    }

    String jsonLine() {
        StringBuilder json = new StringBuilder(LINE_PREFIX).append('{');
        values.forEach((k, v) -> {
            if (json.charAt(json.length() - 1) != '{') {
                json.append(',');
            }
            json.append(quote(k)).append(':')
                .append(v instanceof Number || v instanceof Boolean ? format(v) : quote(String.valueOf(v)));
        });
        return json.append('}').toString();
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
