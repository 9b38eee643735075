package net.lightqueue.mqtt.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.lightqueue.dispatch.ArrivalListener;

/**
 * The one arrival listener of the server: passes "queue F grew" to the sessions holding a
 * cursor on F, which wake up on their own event loops. Returns at once, as the dispatcher's
 * signal thread requires.
 */
public final class ArrivalRouter implements ArrivalListener {

    private final ConcurrentMap<String, Set<Session>> sessionsByFilter = new ConcurrentHashMap<>();

    void add(String filter, Session session) {
        sessionsByFilter.computeIfAbsent(filter, key -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void remove(String filter, Session session) {
        sessionsByFilter.computeIfPresent(filter, (key, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    @Override
    public void arrived(String filter, long maxOffset) {
        Set<Session> sessions = sessionsByFilter.get(filter);
        if (sessions != null) {
            for (Session session : sessions) {
                session.arrived(filter, maxOffset);
            }
        }
    }
}
