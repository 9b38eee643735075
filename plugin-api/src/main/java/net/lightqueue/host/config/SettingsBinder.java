package net.lightqueue.host.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binds broker.conf properties to a settings object: each {@link Setting} field is parsed
 * strictly (the broker's own binder silently keeps the default on a parse error, which turns
 * a typo into a mystery), range-checked, and keys under the class's {@link SettingsPrefix}
 * that no field declares are rejected with a suggestion.
 */
public final class SettingsBinder {

    private SettingsBinder() {
    }

    public static <T> T bind(Class<T> type, Properties properties) {
        return type.cast(bind(List.of(type), properties).get(type));
    }

    /**
     * Binds several settings groups of one plugin. A key under any group's prefix must be
     * declared by one of the groups, so groups may nest prefixes ({@code mqtt}, {@code mqttIndex}).
     */
    public static Map<Class<?>, Object> bind(List<Class<?>> types, Properties properties) {
        Map<Class<?>, Object> groups = new LinkedHashMap<>();
        Set<String> known = new TreeSet<>();
        for (Class<?> type : types) {
            Object settings = instantiate(type);
            for (Field field : settingFields(type)) {
                known.add(field.getName());
                String raw = properties.getProperty(field.getName());
                if (raw != null) {
                    set(settings, field, parse(field, raw.trim()));
                }
            }
            groups.put(type, settings);
        }
        for (Class<?> type : types) {
            rejectUnknownKeys(type, known, properties);
        }
        for (Object settings : groups.values()) {
            if (settings instanceof ValidatedSettings validated) {
                validated.validate();
            }
        }
        return groups;
    }

    private static List<Field> settingFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (field.isAnnotationPresent(Setting.class) && !Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields;
    }

    private static Object parse(Field field, String raw) {
        Class<?> fieldType = field.getType();
        Setting setting = field.getAnnotation(Setting.class);
        String key = field.getName();
        if (fieldType == String.class) {
            return raw;
        }
        if (fieldType == boolean.class) {
            if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(raw);
            }
            throw InvalidSettingException.of(key, raw, "expected true or false");
        }
        if (fieldType.isEnum()) {
            return parseEnum(fieldType, key, raw);
        }
        if (fieldType == double.class) {
            try {
                return Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw InvalidSettingException.of(key, raw, "expected a number");
            }
        }
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw InvalidSettingException.of(key, raw, "expected an integer" + range(setting));
        }
        if (value < setting.min() || value > setting.max()
            || fieldType == int.class && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw InvalidSettingException.of(key, raw, "expected an integer" + range(setting));
        }
        return fieldType == int.class ? (Object) (int) value : (Object) value;
    }

    private static Object parseEnum(Class<?> enumType, String key, String raw) {
        for (Object constant : enumType.getEnumConstants()) {
            if (((Enum<?>) constant).name().equalsIgnoreCase(raw)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(enumType.getEnumConstants())
            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
        throw InvalidSettingException.of(key, raw, "expected one of " + allowed);
    }

    private static String range(Setting setting) {
        boolean hasMin = setting.min() != Long.MIN_VALUE;
        boolean hasMax = setting.max() != Long.MAX_VALUE;
        if (hasMin && hasMax) {
            return " from " + setting.min() + " to " + setting.max();
        }
        if (hasMin) {
            return " of at least " + setting.min();
        }
        return hasMax ? " of at most " + setting.max() : "";
    }

    private static void rejectUnknownKeys(Class<?> type, Set<String> known, Properties properties) {
        SettingsPrefix prefix = type.getAnnotation(SettingsPrefix.class);
        if (prefix == null) {
            return;
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith(prefix.value()) && !known.contains(key)) {
                String closest = known.stream().min(Comparator.comparingInt(k -> editDistance(k, key))).orElse("");
                List<String> group = known.stream().filter(k -> k.startsWith(prefix.value())).toList();
                throw new InvalidSettingException("unknown setting " + key + " (did you mean " + closest
                    + "?); the " + prefix.value() + "* settings are: " + String.join(", ", group));
            }
        }
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static void set(Object target, Field field, Object value) {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + field, e);
        }
    }

    private static <T> T instantiate(Class<T> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a no-argument constructor", e);
        }
    }
}
