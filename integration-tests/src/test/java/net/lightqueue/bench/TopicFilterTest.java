package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void matchesLikeMqtt() {
        assertTrue(TopicFilter.matches("a/b/c", "a/b/c"));
        assertTrue(TopicFilter.matches("a/+/c", "a/b/c"));
        assertTrue(TopicFilter.matches("a/#", "a/b/c"));
        assertTrue(TopicFilter.matches("a/#", "a"));
        assertFalse(TopicFilter.matches("a/+", "a/b/c"));
        assertFalse(TopicFilter.matches("a/b", "a/b/c"));
        assertFalse(TopicFilter.matches("a/b/c", "a/b"));
    }
}
