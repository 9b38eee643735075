package net.lightqueue.dispatch.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.lightqueue.dispatch.ArrivalListener;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Tells listeners that queues grew, on a thread of its own so the broker's reput thread only
 * records the new queue ends and returns. Signals are coalesced per queue: a queue that grew
 * several times before the signal thread ran is announced once, with its latest end.
 */
public final class ArrivalSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalSignals.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<ArrivalListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Thread thread = new Thread(this::run, "lmq-arrival-signals");
    private volatile boolean running;

    public void addListener(ArrivalListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ArrivalListener listener) {
        listeners.remove(listener);
    }

    public void start() {
        running = true;
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records new queue ends (exclusive) and wakes the signal thread. Never blocks. */
    void publish(Map<String, Long> queueEnds) {
        if (queueEnds.isEmpty()) {
            return;
        }
        queueEnds.forEach((queue, end) -> pending.merge(queue, end, Math::max));
        LockSupport.unpark(thread);
    }

    private void run() {
        while (running) {
            if (pending.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            for (String queue : pending.keySet()) {
                Long end = pending.remove(queue);
                if (end != null) {
                    notifyListeners(queue, end);
                }
            }
        }
    }

    private void notifyListeners(String queue, long end) {
        for (ArrivalListener listener : listeners) {
            try {
                listener.arrived(queue, end);
            } catch (RuntimeException e) {
                LOG.error("arrival listener {} failed for queue {}", listener, queue, e);
            }
        }
    }
}
