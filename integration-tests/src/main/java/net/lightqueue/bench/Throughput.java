package net.lightqueue.bench;

/** Rates over the measured window and end-to-end latency percentiles of messages sent in it. */
final class Throughput {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final String[] NAMES = {"p50", "p90", "p99", "p999"};

    private Throughput() {
    }

    static void report(RunMeters meters, Result result) {
        double seconds = meters.window.seconds();
        result.put("window_s", seconds)
                .put("sent_per_s", perSecond(meters.sentInWindow.sum(), seconds))
                .put("acked_per_s", perSecond(meters.ackedInWindow.sum(), seconds))
                .put("delivered_per_s", perSecond(meters.receivedInWindow.sum(), seconds));
        LatencyHistogram latency = meters.latency.merged();
        result.put("latency_samples", latency.total());
        for (int i = 0; i < QUANTILES.length; i++) {
            result.put("latency_" + NAMES[i] + "_ms", latency.quantile(QUANTILES[i]) / 1e3);
        }
        result.put("latency_max_ms", latency.max() / 1e3)
                .put("latency_worst_ms_by_second", meters.timeline.worstMillisBySecond());
    }

    /** {@code <prefix>_samples}, {@code _p50_ms}, {@code _p99_ms} and {@code _max_ms} of a histogram in microseconds. */
    static void reportLatency(LatencyHistogram micros, String prefix, Result result) {
        result.put(prefix + "_samples", micros.total())
                .put(prefix + "_p50_ms", micros.quantile(0.5) / 1e3)
                .put(prefix + "_p99_ms", micros.quantile(0.99) / 1e3)
                .put(prefix + "_max_ms", micros.max() / 1e3);
    }

    static double perSecond(long count, double seconds) {
        return seconds > 0 ? count / seconds : 0;
    }
}
