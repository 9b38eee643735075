package net.lightqueue.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.lightqueue.host.config.Setting;
import net.lightqueue.mqtt.MqttPlugin;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every plugin setting with its real default. */
class SettingsDocumentationTest {

    @Test
    void readmeListsEverySettingWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("project.root"), "README.md"));
        List<String> missing = new ArrayList<>();
        for (Class<?> group : new MqttPlugin().settingsTypes()) {
            Object defaults = instantiate(group);
            for (Field field : group.getDeclaredFields()) {
                if (field.isAnnotationPresent(Setting.class)) {
                    field.setAccessible(true);
                    String row = "| `" + field.getName() + "` | " + field.get(defaults) + " |";
                    if (!readme.contains(row)) {
                        missing.add(row);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "README.md configuration rows missing or with a wrong default");
    }

    private static Object instantiate(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
