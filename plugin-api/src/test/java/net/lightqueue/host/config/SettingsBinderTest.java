package net.lightqueue.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsBinderTest {

    enum Mode { STRICT, LENIENT }

    @SettingsPrefix("demo")
    static final class DemoSettings implements ValidatedSettings {
        @Setting(description = "port", min = 0, max = 65535)
        int demoPort = 1883;
        @Setting(description = "bytes", min = 1)
        long demoLimit = 10;
        @Setting(description = "flag")
        boolean demoEnabled = true;
        @Setting(description = "name")
        String demoName = "x";
        @Setting(description = "mode")
        Mode demoMode = Mode.STRICT;
        @Setting(description = "ratio")
        double demoRatio = 0.5;

        @Override
        public void validate() {
            if (demoLimit > 100 && !demoEnabled) {
                throw new InvalidSettingException("demoLimit above 100 needs demoEnabled=true");
            }
        }
    }

    @SettingsPrefix("demoIndex")
    static final class DemoIndexSettings {
        @Setting(description = "size", min = 1)
        int demoIndexSize = 8;
    }

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void keepsDefaultsWhenKeysAreAbsent() {
        DemoSettings s = SettingsBinder.bind(DemoSettings.class, props("brokerName", "b"));
        assertEquals(1883, s.demoPort);
        assertEquals(10, s.demoLimit);
        assertTrue(s.demoEnabled);
        assertEquals(Mode.STRICT, s.demoMode);
    }

    @Test
    void parsesEveryType() {
        DemoSettings s = SettingsBinder.bind(DemoSettings.class, props("demoPort", " 2883 ", "demoLimit", "99",
            "demoEnabled", "FALSE", "demoName", " n ", "demoMode", "lenient", "demoRatio", "0.25"));
        assertEquals(2883, s.demoPort);
        assertEquals(99, s.demoLimit);
        assertEquals(false, s.demoEnabled);
        assertEquals("n", s.demoName);
        assertEquals(Mode.LENIENT, s.demoMode);
        assertEquals(0.25, s.demoRatio);
    }

    @Test
    void rejectsNonNumbersNamingKeyValueAndRange() {
        var e = assertThrows(InvalidSettingException.class,
            () -> SettingsBinder.bind(DemoSettings.class, props("demoPort", "18a3")));
        assertEquals("demoPort=18a3 is invalid: expected an integer from 0 to 65535", e.getMessage());
    }

    @Test
    void rejectsOutOfRange() {
        var e = assertThrows(InvalidSettingException.class,
            () -> SettingsBinder.bind(DemoSettings.class, props("demoLimit", "0")));
        assertEquals("demoLimit=0 is invalid: expected an integer of at least 1", e.getMessage());
    }

    @Test
    void rejectsSloppyBooleansAndUnknownEnumValues() {
        assertEquals("demoEnabled=yes is invalid: expected true or false", assertThrows(InvalidSettingException.class,
            () -> SettingsBinder.bind(DemoSettings.class, props("demoEnabled", "yes"))).getMessage());
        assertEquals("demoMode=loose is invalid: expected one of strict, lenient", assertThrows(InvalidSettingException.class,
            () -> SettingsBinder.bind(DemoSettings.class, props("demoMode", "loose"))).getMessage());
    }

    @Test
    void rejectsUnknownKeysUnderThePrefixWithASuggestion() {
        var e = assertThrows(InvalidSettingException.class,
            () -> SettingsBinder.bind(DemoSettings.class, props("demoPrt", "1")));
        assertTrue(e.getMessage().startsWith("unknown setting demoPrt (did you mean demoPort?)"), e.getMessage());
    }

    @Test
    void runsCrossKeyValidation() {
        var e = assertThrows(InvalidSettingException.class,
            () -> SettingsBinder.bind(DemoSettings.class, props("demoLimit", "101", "demoEnabled", "false")));
        assertEquals("demoLimit above 100 needs demoEnabled=true", e.getMessage());
    }

    @Test
    void bindsGroupsWithNestedPrefixesTogether() {
        var groups = SettingsBinder.bind(List.of(DemoSettings.class, DemoIndexSettings.class),
            props("demoPort", "1", "demoIndexSize", "9"));
        assertEquals(1, ((DemoSettings) groups.get(DemoSettings.class)).demoPort);
        assertEquals(9, ((DemoIndexSettings) groups.get(DemoIndexSettings.class)).demoIndexSize);

        var e = assertThrows(InvalidSettingException.class, () -> SettingsBinder.bind(
            List.of(DemoSettings.class, DemoIndexSettings.class), props("demoIndexSzie", "9")));
        assertTrue(e.getMessage().startsWith("unknown setting demoIndexSzie (did you mean demoIndexSize?)"), e.getMessage());
    }
}
