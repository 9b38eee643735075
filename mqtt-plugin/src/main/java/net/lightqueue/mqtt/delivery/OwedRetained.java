package net.lightqueue.mqtt.delivery;

import java.util.ArrayDeque;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.connection.MqttConnection;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The retained messages a connection's session owes its new subscriptions, sent before their
 * queued ones with RETAIN set [MQTT-3.3.1-9]: lookups in the order the subscriptions came, each
 * read a page at a time on the connection's event loop. The deliverer holds one only while
 * something is owed, so an idle connection keeps no queues for it.
 */
final class OwedRetained {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.delivery");

    record Owed(Cursor cursor, StoredMessage message) {
    }

    private record Lookup(Cursor cursor, RetainedSource source) {
    }

    private final MqttConnection connection;
    private final Runnable wake;
    private final ArrayDeque<Lookup> lookups = new ArrayDeque<>(2);
    /** The page of the first lookup being sent, as the client's window allows. */
    private final ArrayDeque<Owed> page = new ArrayDeque<>();
    private boolean pageRequested;

    /** @param wake schedules a delivery pass on the connection's event loop, for a page that arrived */
    OwedRetained(MqttConnection connection, Runnable wake) {
        this.connection = connection;
        this.wake = wake;
    }

    void owe(Cursor cursor, RetainedSource source) {
        lookups.add(new Lookup(cursor, source));
    }

    /** The next message to send, or null while none is at hand (a page may be on its way). */
    Owed next() {
        while (page.isEmpty()) {
            if (!nextPage()) {
                return null;
            }
        }
        return page.peek();
    }

    /** The message {@link #next} gave went out (or was skipped). */
    void sent() {
        page.poll();
    }

    /** Whether every lookup was sent to its end; a page still on its way keeps its lookup owed. */
    boolean settled() {
        return lookups.isEmpty();
    }

    /**
     * Asks the first lookup for its next page, once the last one is sent; a page arrives on the
     * event loop and wakes the session. A lookup that fails is dropped: its subscription stays,
     * without the retained messages it could not read.
     *
     * @return whether the next lookup is up, to be asked at once
     */
    private boolean nextPage() {
        Lookup lookup = lookups.peek();
        if (lookup == null || pageRequested) {
            return false;
        }
        if (lookup.source().exhausted()) {
            lookups.poll();
            return true;
        }
        pageRequested = true;
        lookup.source().nextPage().whenCompleteAsync((messages, failure) -> {
            pageRequested = false;
            if (failure != null) {
                LOG.warn("mqtt {} gets no retained messages for '{}': {}", connection, lookup.cursor().name(),
                    failure.toString());
                lookups.remove(lookup);
            } else {
                messages.forEach(message -> page.add(new Owed(lookup.cursor(), message)));
            }
            wake.run();
        }, connection.channel().eventLoop());
        return false;
    }
}
