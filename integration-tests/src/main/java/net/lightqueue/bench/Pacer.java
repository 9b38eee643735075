package net.lightqueue.bench;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Drives fixed-rate publishers: one 1 ms tick per event loop pumps all of that loop's
 * publishers, instead of one timer per publisher (p2p may have tens of thousands).
 */
final class Pacer {
    private static final long TICK_MICROS = 1_000;

    private final Map<EventLoop, List<Outbox>> byLoop = new ConcurrentHashMap<>();

    /** Call on the outbox's event loop. */
    void add(EventLoop loop, Outbox outbox) {
        byLoop.computeIfAbsent(loop, l -> {
            List<Outbox> outboxes = new ArrayList<>();
            l.scheduleAtFixedRate(() -> outboxes.forEach(Outbox::pump), TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
            return outboxes;
        }).add(outbox);
    }
}
