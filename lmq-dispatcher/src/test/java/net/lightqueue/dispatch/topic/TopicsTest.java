package net.lightqueue.dispatch.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void acceptsValidNamesAndFilters() {
        for (String name : new String[] {"a", "/", "a/b/c", "/a/", "$SYS/x", "sport/tennis player1", "😀/ü"}) {
            assertEquals(Optional.empty(), Topics.validateName(name), name);
            assertEquals(Optional.empty(), Topics.validateFilter(name), name);
        }
        for (String filter : new String[] {"#", "+", "+/+", "/+", "a/#", "a/+/b/#", "+/tennis/#", "$SYS/#", "a//+"}) {
            assertEquals(Optional.empty(), Topics.validateFilter(filter), filter);
        }
    }

    @Test
    void namesMustNotContainWildcards() {
        // [MQTT-3.3.2-2]
        assertTrue(Topics.validateName("a/+").orElseThrow().contains("'+'"));
        assertTrue(Topics.validateName("a/#").orElseThrow().contains("'#'"));
        assertTrue(Topics.validateName("a+b").isPresent());
    }

    @Test
    void wildcardsMustOccupyWholeLevels() {
        // [MQTT-4.7.1-2] '#' last and alone; [MQTT-4.7.1-3] '+' alone in its level
        for (String filter : new String[] {"a#", "a/#/b", "#/", "a/b#", "a+", "a/+b", "+a/b", "++"}) {
            assertTrue(Topics.validateFilter(filter).isPresent(), filter);
        }
        assertTrue(Topics.validateFilter("sport/tennis#").orElseThrow().contains("'#' must be the last level"));
        assertTrue(Topics.validateFilter("sport+").orElseThrow().contains("'+' must occupy an entire level"));
    }

    @Test
    void rejectsEmptyNullCharactersAndIllFormedStrings() {
        // [MQTT-4.7.3-1] at least one character; [MQTT-1.5.4-2] no U+0000; [MQTT-1.5.4-1] well-formed
        assertTrue(Topics.validateName("").orElseThrow().contains("empty"));
        assertTrue(Topics.validateFilter(null).orElseThrow().contains("empty"));
        assertTrue(Topics.validateName("a\u0000b").orElseThrow().contains("U+0000"));
        assertTrue(Topics.validateFilter("a/\uD800").orElseThrow().contains("unpaired surrogate"));
        assertTrue(Topics.validateName("\uDC00a").orElseThrow().contains("unpaired surrogate"));
        assertTrue(Topics.validateName("a".repeat(65_536)).orElseThrow().contains("65536 bytes"));
        assertEquals(Optional.empty(), Topics.validateName("a".repeat(65_535)));
        assertTrue(Topics.validateName("é".repeat(32_768)).orElseThrow().contains("65536 bytes"));
    }

    @Test
    void matchesLikeTheSpecificationExamples() {
        // 4.7.1.2: "sport/tennis/player1/#" matches these
        assertTrue(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1"));
        assertTrue(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
        assertTrue(Topics.matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
        assertTrue(Topics.matches("sport/#", "sport"));
        // 4.7.1.3
        assertTrue(Topics.matches("sport/tennis/+", "sport/tennis/player1"));
        assertFalse(Topics.matches("sport/tennis/+", "sport/tennis/player1/ranking"));
        assertFalse(Topics.matches("sport/+", "sport"));
        assertTrue(Topics.matches("sport/+", "sport/"));
        assertTrue(Topics.matches("+/+", "/finance"));
        assertTrue(Topics.matches("/+", "/finance"));
        assertFalse(Topics.matches("+", "/finance"));
        // 4.7.2 [MQTT-4.7.2-1]
        assertFalse(Topics.matches("#", "$SYS/x"));
        assertFalse(Topics.matches("+/monitor/Clients", "$SYS/monitor/Clients"));
        assertTrue(Topics.matches("$SYS/#", "$SYS/monitor/Clients"));
        assertTrue(Topics.matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
        assertTrue(Topics.matches("a/$x", "a/$x"));
        assertTrue(Topics.matches("a/+", "a/$x"));
        assertTrue(Topics.matches("#", "a/b"));
        assertFalse(Topics.matches("a/b", "a/b/c"));
        assertFalse(Topics.matches("a/b/c", "a/b"));
    }

    @Test
    void splitsLevelsKeepingEmptyOnes() {
        assertArrayEquals(new String[] {"", "a", ""}, Topics.levels("/a/"));
        assertArrayEquals(new String[] {"a"}, Topics.levels("a"));
        assertEquals("home", Topics.firstLevel("home/kitchen/temp"));
        assertEquals("home", Topics.firstLevel("home"));
        assertTrue(Topics.isWildcard("a/+"));
        assertFalse(Topics.isWildcard("a/b"));
    }
}
