package net.lightqueue.mqtt.delivery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.lightqueue.dispatch.ArrivalListener;

/**
 * The one arrival listener of the server: passes "queue F grew" to the cursors on F and the
 * shared subscription groups reading F, which wake their sessions on their own event loops.
 * Returns at once, as the dispatcher's signal thread requires.
 *
 * <p>Most filters have one reader (a device's own topics), so a filter maps to its watcher
 * itself, and to a set of them only while several read it: a set per filter cost about 200
 * bytes of heap per idle connection.
 */
public final class ArrivalRouter implements ArrivalListener {

    private final ConcurrentMap<String, QueueWatcher> watchersByFilter = new ConcurrentHashMap<>();

    public void add(String filter, QueueWatcher watcher) {
        // Changed inside the map's lock for the filter: a remove() meanwhile never drops the watcher with it.
        watchersByFilter.merge(filter, watcher, (existing, added) -> existing instanceof Watchers several
            ? several.with(added) : existing == added ? existing : new Watchers(existing, added));
    }

    public void remove(String filter, QueueWatcher watcher) {
        watchersByFilter.computeIfPresent(filter, (key, existing) -> existing instanceof Watchers several
            ? several.without(watcher) : existing == watcher ? null : existing);
    }

    @Override
    public void arrived(String filter, long maxOffset) {
        QueueWatcher watchers = watchersByFilter.get(filter);
        if (watchers != null) {
            watchers.arrived(filter, maxOffset);
        }
    }

    /** The watchers of a filter that several read; changed only inside the map's lock for that filter. */
    private static final class Watchers implements QueueWatcher {

        private final Set<QueueWatcher> all = ConcurrentHashMap.newKeySet();

        Watchers(QueueWatcher first, QueueWatcher second) {
            all.add(first);
            all.add(second);
        }

        Watchers with(QueueWatcher watcher) {
            all.add(watcher);
            return this;
        }

        /** This set, or the one watcher left, or null for none. */
        QueueWatcher without(QueueWatcher watcher) {
            all.remove(watcher);
            return all.size() > 1 ? this : all.stream().findFirst().orElse(null);
        }

        @Override
        public void arrived(String filter, long queueEnd) {
            for (QueueWatcher watcher : all) {
                watcher.arrived(filter, queueEnd);
            }
        }
    }
}
