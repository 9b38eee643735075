package net.lightqueue.bench;

import java.io.PrintStream;

/** Ends the process if a run outlives its time bound, whatever the broker does. */
final class Watchdog {
    /** Allowance for full GCs of the broker, disconnects and JVM start-up. */
    private static final long SLACK_NANOS = 120_000_000_000L;
    /** Allowance per storm connection, takeover, will or SUBSCRIBE/UNSUBSCRIBE pair. */
    private static final long STORM_UNIT_NANOS = 50_000_000L;

    private Watchdog() {
    }

    static void guard(BenchOptions o, PrintStream err) {
        long bound = boundNanos(o);
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(bound / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
            err.printf("run exceeded its time bound of %d s: stopping%n", bound / 1_000_000_000);
            Runtime.getRuntime().halt(BenchMain.EXIT_SETUP);
        }, "bench-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    static long boundNanos(BenchOptions o) {
        long clients = Math.max(o.clients(), (long) o.publishers() + o.subscribers());
        // Subscribers may connect twice (persistent); each connect phase may also wait out its timeout.
        long connecting = 2 * (clients * 1_000_000_000L / o.rampPerSecond() + 2 * o.connectTimeoutNanos());
        long storm = o.scenario().storm() ? o.stormSize() * STORM_UNIT_NANOS + 2 * o.connectTimeoutNanos() : 0;
        return connecting + storm + o.warmupNanos() + o.durationNanos() + 2 * o.drainNanos() + o.holdNanos() + SLACK_NANOS;
    }
}
