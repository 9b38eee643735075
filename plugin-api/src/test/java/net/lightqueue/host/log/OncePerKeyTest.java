package net.lightqueue.host.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OncePerKeyTest {

    @Test
    void aKeyIsFirstOnlyOnce() {
        OncePerKey once = new OncePerKey(10);
        assertTrue(once.first("client-1 secret"));
        assertFalse(once.first("client-1 secret"));
        assertTrue(once.first("client-2 secret"));
    }

    @Test
    void aFullMemoryStartsAfreshInsteadOfGrowing() {
        OncePerKey once = new OncePerKey(2);
        assertTrue(once.first("a"));
        assertTrue(once.first("b"));
        assertTrue(once.first("c"), "full: forgets a and b, remembers c");
        assertFalse(once.first("c"));
        assertTrue(once.first("a"));
    }
}
