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

    /**
     * When publisher {@code index} starts, after the run's start, at {@code ratePerSecond} over
     * all publishers (0: as fast as they can, all at once). Paced publishers start one overall
     * interval apart, so together they cover one interval between a publisher's messages: 1,000
     * devices publishing once a second each send at a moment of their own, not in one burst.
     */
    static long phaseNanos(int index, double ratePerSecond) {
        return ratePerSecond <= 0 ? 0 : (long) (index * 1e9 / ratePerSecond);
    }

    /** Call on the outbox's event loop. */
    void add(EventLoop loop, Outbox outbox) {
        byLoop.computeIfAbsent(loop, l -> {
            List<Outbox> outboxes = new ArrayList<>();
            l.scheduleAtFixedRate(() -> outboxes.forEach(Outbox::pump), TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
            return outboxes;
        }).add(outbox);
    }
}
