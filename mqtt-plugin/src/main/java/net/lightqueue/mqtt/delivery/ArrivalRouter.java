package net.lightqueue.mqtt.delivery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.lightqueue.dispatch.ArrivalListener;

/**
 * The one arrival listener of the server: passes "queue F grew" to the cursors on F and the
 * shared subscription groups reading F, which wake their sessions on their own event loops.
 * Returns at once, as the dispatcher's signal thread requires.
 */
public final class ArrivalRouter implements ArrivalListener {

    private final ConcurrentMap<String, Set<QueueWatcher>> watchersByFilter = new ConcurrentHashMap<>();

    public void add(String filter, QueueWatcher watcher) {
        // Added inside compute: a set that remove() drops as empty meanwhile never takes the watcher with it.
        watchersByFilter.compute(filter, (key, watchers) -> {
            Set<QueueWatcher> set = watchers == null ? ConcurrentHashMap.newKeySet() : watchers;
            set.add(watcher);
            return set;
        });
    }

    public void remove(String filter, QueueWatcher watcher) {
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
