package net.lightqueue.bench;

import java.util.ArrayList;
import java.util.List;

/** What in a run's result breaks the MQTT guarantees the run asked for. */
final class Verdict {
    private Verdict() {
    }

    static List<String> failures(BenchOptions options, Result result) {
        List<String> failures = new ArrayList<>();
        if (options.lossForbidden()) {
            check(failures, result, "lost", "messages lost at QoS >= 1 (not delivered by the end of the drain)");
            check(failures, result, "out_of_order", "messages out of order at QoS >= 1 (MQTT 4.6)");
            if (result.getLong("sent") > result.getLong("acked")) {
                failures.add((result.getLong("sent") - result.getLong("acked")) + " publishes never acknowledged");
            }
        }
        if (options.duplicatesForbidden()) {
            check(failures, result, "duplicates", "duplicates at QoS 2");
        }
        check(failures, result, "unexpected", "messages delivered to a subscriber whose filters do not match");
        check(failures, result, "dropped_connections", "connections closed by the broker");
        return failures;
    }

    private static void check(List<String> failures, Result result, String key, String what) {
        long count = result.getLong(key);
        if (count > 0) {
            failures.add(count + " " + what);
        }
    }
}
