package net.lightqueue.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Run-wide counters, updated from every event loop. Per-pair detail lives in {@link Inbox}.
 * Storm scenarios measure the bystander twice: before the storm ({@link #window}) and during it
 * ({@link #storm}).
 */
final class RunMeters {
    final MeasurementWindow window = new MeasurementWindow();
    final LatencyRecorder latency = new LatencyRecorder();
    final LatencyTimeline timeline = new LatencyTimeline(System.nanoTime());
    final MeasurementWindow storm = new MeasurementWindow();
    final LatencyRecorder stormLatency = new LatencyRecorder();
    final LongAdder sent = new LongAdder();
    final LongAdder sentInWindow = new LongAdder();
    final LongAdder sentInStorm = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder ackedInWindow = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder receivedInWindow = new LongAdder();
    /** First arrivals only: the drain is over when this reaches the expected deliveries. */
    final LongAdder uniqueReceived = new LongAdder();
    /** Messages a subscriber should not have got: foreign payloads or a publisher it does not match. */
    final LongAdder unexpected = new LongAdder();
    final LongAdder droppedConnections = new LongAdder();

    void onSent(long now) {
        sent.increment();
        if (window.contains(now)) {
            sentInWindow.increment();
        }
        if (storm.contains(now)) {
            sentInStorm.increment();
        }
    }

    void onAcked(long now) {
        acked.increment();
        if (window.contains(now)) {
            ackedInWindow.increment();
        }
    }

    void onReceived(long now, long sentNanos, boolean first) {
        received.increment();
        if (first) {
            uniqueReceived.increment();
        }
        if (window.contains(now)) {
            receivedInWindow.increment();
        }
        long micros = (now - sentNanos) / 1_000;
        timeline.record(sentNanos, micros);
        if (window.contains(sentNanos)) {
            latency.recordMicros(micros);
        }
        if (storm.contains(sentNanos)) {
            stormLatency.recordMicros(micros);
        }
    }
}
