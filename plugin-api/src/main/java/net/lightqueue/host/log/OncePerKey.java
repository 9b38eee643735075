package net.lightqueue.host.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which keys (a client and a topic, say) were already logged, so a client that repeats
 * a refused request gets one log line, not one per packet. The memory is bounded: when it is
 * full it starts afresh, so a key may be logged again after that many other keys were.
 */
public final class OncePerKey {

    private final int capacity;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public OncePerKey(int capacity) {
        this.capacity = capacity;
    }

    /** True the first time the key is seen (since the memory was last full). */
    public boolean first(String key) {
        if (logged.size() >= capacity) {
            logged.clear();
        }
        return logged.add(key);
    }
}
