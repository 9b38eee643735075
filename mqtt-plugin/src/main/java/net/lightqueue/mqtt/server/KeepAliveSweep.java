package net.lightqueue.mqtt.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The connections of one event loop that may stay silent only so long (or open only so long
 * without CONNECT), and one task on that loop that ends those past their allowance: a slot in a
 * list per connection instead of a timer per connection. Touched only on its loop, so it needs
 * no locking; it starts with the loop's first connection and, scheduled on the loop, stops with it.
 */
final class KeepAliveSweep implements Runnable {

    /**
     * How often the loop looks. A connection is never ended before its allowance ran out, and at
     * most this much after: MQTT asks for the end once nothing arrived "within one and a half
     * times the Keep Alive time period" [MQTT-3.1.2-22] of at least a second, and the connect
     * timeout is at least a second too.
     */
    static final long INTERVAL_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.server");
    /** Event loops are threads of their own, so the loop's sweep is the thread's. */
    private static final FastThreadLocal<KeepAliveSweep> OF_LOOP = new FastThreadLocal<>();

    private final List<KeepAliveHandler> watched = new ArrayList<>();

    private KeepAliveSweep() {
    }

    /** The sweep of {@code loop}, started on first use; on that loop only (the sweep is found by thread). */
    static KeepAliveSweep of(EventLoop loop) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("the keep-alive sweep of " + loop + " asked for from " + Thread.currentThread());
        }
        KeepAliveSweep sweep = OF_LOOP.get();
        if (sweep == null) {
            sweep = new KeepAliveSweep();
            OF_LOOP.set(sweep);
            loop.scheduleWithFixedDelay(sweep, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
        return sweep;
    }

    void watch(KeepAliveHandler handler) {
        handler.sweepSlot = watched.size();
        watched.add(handler);
    }

    /** Forgets the handler in constant time: the last one takes its slot. */
    void unwatch(KeepAliveHandler handler) {
        int slot = handler.sweepSlot;
        KeepAliveHandler last = watched.remove(watched.size() - 1);
        if (last != handler) {
            watched.set(slot, last);
            last.sweepSlot = slot;
        }
        handler.sweepSlot = -1;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        List<KeepAliveHandler> ranOut = null;
        for (int i = 0; i < watched.size(); i++) {
            KeepAliveHandler handler = watched.get(i);
            if (handler.allowanceRanOut(now)) {
                if (ranOut == null) {
                    ranOut = new ArrayList<>();
                }
                ranOut.add(handler);
            }
        }
        if (ranOut == null) {
            return;
        }
        // Ended after the walk, which so never sees the list change under it.
        for (KeepAliveHandler handler : ranOut) {
            unwatch(handler);
            try {
                handler.allowanceExceeded();
            } catch (RuntimeException failure) {
                // Thrown out of the task, it would stop the sweep for every connection of the loop.
                LOG.error("ending an MQTT connection past its allowance failed", failure);
            }
        }
    }
}
