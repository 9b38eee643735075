package net.lightqueue.bench;

/** The measured part of a run, between warm-up and drain, in {@link System#nanoTime()} terms. */
final class MeasurementWindow {
    private volatile long startNanos = Long.MAX_VALUE;
    private volatile long endNanos = Long.MAX_VALUE;

    void open(long now) {
        startNanos = now;
    }

    void close(long now) {
        endNanos = now;
    }

    boolean contains(long nanos) {
        return nanos >= startNanos && nanos < endNanos;
    }

    double seconds() {
        // A window whose publishers finished during warm-up closes before it opens: zero, not negative.
        return endNanos == Long.MAX_VALUE ? 0 : Math.max(0, endNanos - startNanos) / 1e9;
    }
}
