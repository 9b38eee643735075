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

    LatencyTimeline(long originNanos) {
        this.originNanos = originNanos;
    }

    void record(long sentNanos, long micros) {
        long second = (sentNanos - originNanos) / 1_000_000_000L;
        if (second < 0 || second >= MAX_SECONDS) {
            return;
        }
        // At least 1: a second with a message never reads as one without.
        worstMicros.accumulateAndGet((int) second, Math.max(1, micros), Math::max);
    }

    /** One figure per second of sending, in ms, from the first second to the last with a message. Call after the run. */
    String worstMillisBySecond() {
        int last = MAX_SECONDS - 1;
        while (last >= 0 && worstMicros.get(last) == 0) {
            last--;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            line.append(i == 0 ? "" : " ").append(worstMicros.get(i) / 1_000);
        }
        return line.toString();
    }
}
