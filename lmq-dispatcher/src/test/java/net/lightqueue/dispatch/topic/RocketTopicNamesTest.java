package net.lightqueue.dispatch.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.junit.jupiter.api.Test;

class RocketTopicNamesTest {

    @Test
    void validRocketmqNamesWithoutPercentStayAsTheyAre() {
        for (String level : new String[] {"home", "a", "Topic_A-1", "x|y", "0", "a".repeat(127)}) {
            assertEquals(level, RocketTopicNames.of(level));
            assertEquals(Optional.of(level), RocketTopicNames.firstLevelOf(level));
        }
        assertEquals("home", RocketTopicNames.ofTopic("home/kitchen/temp"));
    }

    @Test
    void everyOtherCharacterIsEscapedPerUtf8Byte() {
        assertEquals("%2F", RocketTopicNames.ofTopic("/TopicA"));
        assertEquals("%2F", RocketTopicNames.ofTopic("/t/t1/t2"));
        assertEquals("spBv1%2E0", RocketTopicNames.ofTopic("spBv1.0/group/NBIRTH/node"));
        assertEquals("%24aws", RocketTopicNames.ofTopic("$aws/things/x"));
        assertEquals("%24TopicA", RocketTopicNames.ofTopic("$TopicA/B"));
        assertEquals("%24SYS", RocketTopicNames.ofTopic("$SYS/broker/uptime"));
        assertEquals("sensor%2Ev2", RocketTopicNames.ofTopic("sensor.v2/x"));
        assertEquals("%E6%B8%A9%E5%BA%A6", RocketTopicNames.ofTopic("温度/x"));
        assertEquals("%F0%9F%98%80", RocketTopicNames.of("😀"));
        assertEquals("a%25b", RocketTopicNames.of("a%b"));
        assertEquals("%25RETRY%25x", RocketTopicNames.of("%RETRY%x"));
        assertEquals("a%20b", RocketTopicNames.of("a b"));
        for (String level : new String[] {"", "spBv1.0", "$aws", "温度", "😀x", "a%b", "%2F", "%25", "a b", "%RETRY%x"}) {
            String name = RocketTopicNames.of(level);
            assertTrue(TopicValidator.validateTopic(name).isValid(), name);
            assertEquals(Optional.of(level), RocketTopicNames.firstLevelOf(name), name);
        }
    }

    @Test
    void longNamesGetAHashAfterACutThatSplitsNoEscape() {
        String level = "a".repeat(200);
        String name = RocketTopicNames.of(level);
        assertEquals(RocketTopicNames.MAX_LENGTH, name.length());
        assertEquals("a".repeat(RocketTopicNames.HASHED_PREFIX) + "%2F", name.substring(0, RocketTopicNames.HASHED_PREFIX + 3));
        assertEquals(Optional.empty(), RocketTopicNames.firstLevelOf(name));
        assertNotEquals(name, RocketTopicNames.of("a".repeat(201)));
        assertEquals("a".repeat(127), RocketTopicNames.of("a".repeat(127)));
        assertNotEquals("a".repeat(128), RocketTopicNames.of("a".repeat(128)));
        for (int shift = 0; shift < 3; shift++) {
            String escaped = RocketTopicNames.of("b".repeat(shift) + ".".repeat(100));
            String prefix = escaped.substring(0, escaped.indexOf("%2F", shift));
            assertEquals(0, (prefix.length() - shift) % 3, escaped);
            assertTrue(prefix.length() > RocketTopicNames.HASHED_PREFIX - 3, escaped);
            assertTrue(TopicValidator.validateTopic(escaped).isValid(), escaped);
        }
    }

    @Test
    void distinctFirstLevelsNeverShareANameAndStayWithinTheLimits() {
        Random random = new Random(42);
        String alphabet = "aZ09_-|%./$ é温😀+#";
        Map<String, String> seen = new HashMap<>();
        for (int n = 0; n < 200_000; n++) {
            StringBuilder level = new StringBuilder();
            int length = random.nextInt(n % 10 == 0 ? 160 : 8);
            for (int i = 0; i < length; i++) {
                int at = random.nextInt(alphabet.length());
                if (Character.isSurrogate(alphabet.charAt(at))) {
                    at = alphabet.indexOf('😀');
                    level.append(alphabet, at, at + 2);
                } else if (alphabet.charAt(at) != '/') {
                    level.append(alphabet.charAt(at));
                }
            }
            String name = RocketTopicNames.of(level.toString());
            String earlier = seen.putIfAbsent(name, level.toString());
            assertTrue(earlier == null || earlier.contentEquals(level), level + " and " + earlier + " -> " + name);
            assertTrue(TopicValidator.validateTopic(name).isValid(), name);
            assertFalse(RocketTopicNames.isReserved(name), name);
            RocketTopicNames.firstLevelOf(name).ifPresent(back -> assertEquals(level.toString(), back));
        }
    }

    @Test
    void reservedNamesAreRecognisedAndOnlyReachedByFirstLevelsSpellingThem() {
        for (String name : new String[] {"rmq_sys_mqtt_events", "rmq_sys_x", "SCHEDULE_TOPIC_XXXX",
            "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_ANYTHING", "TBW102", "SELF_TEST_TOPIC", "%RETRY%g", "%DLQ%g", "%LMQ%q"}) {
            assertTrue(RocketTopicNames.isReserved(name), name);
        }
        assertTrue(RocketTopicNames.isReserved(RocketTopicNames.of("rmq_sys_.x")));
        assertFalse(RocketTopicNames.isReserved(RocketTopicNames.of("%RETRY%g")));
        assertFalse(RocketTopicNames.isReserved(RocketTopicNames.of("%LMQ%q")));
        assertFalse(RocketTopicNames.isReserved("home"));
    }

    @Test
    void namesThatAreNoEncodingOfOursHaveNoFirstLevel() {
        for (String name : new String[] {"ns%home", "a%2e", "a%41", "a%2", "a%", "%2Fx", "a%2Fb", "%C3"}) {
            assertEquals(Optional.empty(), RocketTopicNames.firstLevelOf(name), name);
        }
    }
}
