package net.lightqueue.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One histogram per recording thread (the event loops), so recording needs no locks. */
final class LatencyRecorder {
    private final List<LatencyHistogram> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<LatencyHistogram> mine = ThreadLocal.withInitial(() -> {
        LatencyHistogram histogram = new LatencyHistogram();
        all.add(histogram);
        return histogram;
    });

    void recordMicros(long micros) {
        mine.get().record(micros);
    }

    /** Call only after the recording threads have stopped. */
    LatencyHistogram merged() {
        LatencyHistogram merged = new LatencyHistogram();
        all.forEach(merged::add);
        return merged;
    }
}
