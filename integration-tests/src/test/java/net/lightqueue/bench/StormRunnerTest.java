package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each storm scenario, scaled down, through the runner against a broker process with the
 * release jar: the bystander pair gets every QoS 1 message in order while the storm runs, and
 * the storm's own guarantees hold. Only counts are asserted, never timings.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StormRunnerTest {

    private static RunnerOutcome storm(String scenario, String... args) throws Exception {
        LocalCluster broker = TestBrokers.shared();
        List<String> command = new ArrayList<>(List.of("--scenario", scenario, "--port",
            String.valueOf(broker.master().mqttPort()), "--mqtt", "5", "--rate", "100", "--warmup", "1",
            "--drain", "30", "--connect-timeout", "30", "--topic-prefix", "storms"));
        command.addAll(List.of(args));
        RunnerOutcome outcome = RunnerOutcome.run(command.toArray(String[]::new));
        assertEquals(BenchMain.EXIT_OK, outcome.exitCode(),
            () -> outcome.stderr() + "\n" + outcome.resultLine() + "\n" + broker.diagnostics());
        assertAll(outcome.resultLine(),
            () -> assertTrue(outcome.number("bystander_storm_sent") > 0, "the bystander published during the storm"),
            () -> assertEquals(outcome.number("sent"), outcome.number("acked"), "every bystander publish acknowledged"),
            () -> assertEquals(0, outcome.number("lost"), "bystander messages lost"),
            () -> assertEquals(0, outcome.number("out_of_order"), "bystander messages out of order"),
            () -> assertEquals(0, outcome.number("dropped_connections"), "connections the broker closed"));
        return outcome;
    }

    @Test
    void aConnectBurstLeavesTheBystanderServed() throws Exception {
        RunnerOutcome outcome = storm("storm-connect", "--storm", "2000", "--ramp", "10000");

        assertEquals(2000, outcome.number("storm_connections"));
        assertEquals(2000, outcome.number("connect_samples"));
    }

    @Test
    void everyTakeoverEndsTheOlderConnectionWithSessionTakenOver() throws Exception {
        RunnerOutcome outcome = storm("storm-takeover", "--storm", "100");

        assertAll(outcome.resultLine(),
            () -> assertEquals(100, outcome.number("takeovers")),
            () -> assertEquals(0, outcome.number("takeovers_not_ended"), "older connections left open"),
            () -> assertEquals(0, outcome.number("takeovers_without_0x8e"), "ended without DISCONNECT 0x8E [MQTT-3.1.4-3]"),
            () -> assertEquals(100, outcome.number("takeover_samples")));
    }

    @Test
    void clientsDroppingAtOnceEachDeliverTheirWillOnce() throws Exception {
        RunnerOutcome outcome = storm("storm-wills", "--storm", "500");

        assertAll(outcome.resultLine(),
            () -> assertEquals(500, outcome.number("wills_received"), "wills received [MQTT-3.1.2-8]"),
            () -> assertEquals(0, outcome.number("wills_missing")),
            () -> assertEquals(0, outcome.number("wills_duplicated")),
            () -> assertEquals(0, outcome.number("unexpected"), "deliveries nobody subscribed to"));
    }

    @Test
    void aSubscribeFloodIsAcknowledgedThroughout() throws Exception {
        RunnerOutcome outcome = storm("storm-subscribe", "--storm", "2000", "--clients", "20");

        assertAll(outcome.resultLine(),
            () -> assertEquals(0, outcome.number("storm_refused"), "refused SUBSCRIBE/UNSUBSCRIBE"),
            () -> assertEquals(0, outcome.number("storm_stalled_connections"), "unanswered SUBSCRIBE/UNSUBSCRIBE"),
            () -> assertEquals(4000, outcome.number("ack_samples"), "one SUBACK and one UNSUBACK per pair"));
    }
}
