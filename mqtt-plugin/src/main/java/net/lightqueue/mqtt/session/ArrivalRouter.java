package net.lightqueue.mqtt.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.lightqueue.dispatch.ArrivalListener;

/**
 * The one arrival listener of the server: passes "queue F grew" to the sessions holding a
 * cursor on F and the shared subscription groups reading F, which wake up on their own event
 * loops. Returns at once, as the dispatcher's signal thread requires.
 */
public final class ArrivalRouter implements ArrivalListener {

    private final ConcurrentMap<String, Set<QueueWatcher>> watchersByFilter = new ConcurrentHashMap<>();

    void add(String filter, QueueWatcher watcher) {
        watchersByFilter.computeIfAbsent(filter, key -> ConcurrentHashMap.newKeySet()).add(watcher);
    }

    void remove(String filter, QueueWatcher watcher) {
        watchersByFilter.computeIfPresent(filter, (key, watchers) -> {
            watchers.remove(watcher);
            return watchers.isEmpty() ? null : watchers;
        });
    }

    @Override
    public void arrived(String filter, long maxOffset) {
        Set<QueueWatcher> watchers = watchersByFilter.get(filter);
        if (watchers != null) {
            for (QueueWatcher watcher : watchers) {
                watcher.arrived(filter, maxOffset);
            }
        }
    }
}
