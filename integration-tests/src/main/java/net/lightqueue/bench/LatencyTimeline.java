package net.lightqueue.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The worst latency of the messages sent in each second of a run, warm-up included: where the
 * percentiles say how bad the tail is, this says when it happened (a stall, a burst, a cold start).
 */
final class LatencyTimeline {
    private static final int MAX_SECONDS = 3_600;

    private final long originNanos;
    private final AtomicLongArray worstMicros = new AtomicLongArray(MAX_SECONDS);
    private volatile int lastSecond = -1;

    LatencyTimeline(long originNanos) {
        this.originNanos = originNanos;
    }

    void record(long sentNanos, long micros) {
        long second = (sentNanos - originNanos) / 1_000_000_000L;
        if (second < 0 || second >= MAX_SECONDS) {
            return;
        }
        int index = (int) second;
        worstMicros.accumulateAndGet(index, micros, Math::max);
        if (index > lastSecond) {
            lastSecond = index; // racy but monotone enough: only read after the run
        }
    }

    /** One figure per second of sending, in milliseconds, from the first second to the last with a message. */
    String worstMillisBySecond() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i <= lastSecond; i++) {
            line.append(i == 0 ? "" : " ").append(worstMicros.get(i) / 1_000);
        }
        return line.toString();
    }
}
