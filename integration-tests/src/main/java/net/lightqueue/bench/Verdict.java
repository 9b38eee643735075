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
        check(failures, result, "wills_missing", "wills never delivered to the will subscriber");
        check(failures, result, "wills_duplicated", "wills delivered more than once");
        check(failures, result, "takeovers_not_ended", "takeovers that left the older connection open");
        check(failures, result, "takeovers_without_0x8e", "takeovers that ended the older connection without "
                + "DISCONNECT 0x8E Session taken over [MQTT-3.1.4-3]");
        check(failures, result, "storm_refused", "SUBSCRIBE/UNSUBSCRIBE refused with a failure reason code");
        check(failures, result, "storm_stalled_connections",
                "connections whose SUBSCRIBE/UNSUBSCRIBE went unacknowledged within the connect timeout");
        return failures;
    }

    private static void check(List<String> failures, Result result, String key, String what) {
        long count = result.getLong(key);
        if (count > 0) {
            failures.add(count + " " + what);
        }
    }
}
