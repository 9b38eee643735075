package net.lightqueue.host.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
        T settings = instantiate(type);
        List<Field> fields = settingFields(type);
        for (Field field : fields) {
            String raw = properties.getProperty(field.getName());
            if (raw != null) {
                set(settings, field, parse(field, raw.trim()));
            }
        }
        rejectUnknownKeys(type, fields, properties);
        if (settings instanceof ValidatedSettings validated) {
            validated.validate();
        }
        return settings;
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

    private static void rejectUnknownKeys(Class<?> type, List<Field> fields, Properties properties) {
        SettingsPrefix prefix = type.getAnnotation(SettingsPrefix.class);
        if (prefix == null) {
            return;
        }
        Set<String> known = fields.stream().map(Field::getName)
            .collect(Collectors.toCollection(TreeSet::new));
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix.value()) && !known.contains(key)) {
                String closest = known.stream().min(Comparator.comparingInt(k -> editDistance(k, key))).orElse("");
                throw new InvalidSettingException("unknown setting " + key + " (did you mean " + closest
                    + "?); the " + prefix.value() + "* settings are: " + String.join(", ", known));
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
