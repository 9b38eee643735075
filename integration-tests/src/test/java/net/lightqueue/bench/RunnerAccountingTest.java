package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner must count exactly what a broker did wrong: each test tells {@link FaultyBroker}
 * which deliveries to drop, duplicate or reorder and checks the runner's counts and exit code.
 * The storm tests rely on what it never does: end a connection taken over, publish wills,
 * answer UNSUBSCRIBE.
 * Runs are bounded by --count, never by time, and nothing here asserts a timing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunnerAccountingTest {
    private static final long MESSAGES = 100;

    private FaultyBroker broker;

    @BeforeEach
    void start() throws InterruptedException {
        broker = new FaultyBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RunnerOutcome run(String... scenarioArgs) {
        return runWithin(10, scenarioArgs);
    }

    /** A run whose connections, subscriptions and takeovers wait at most {@code connectTimeoutSeconds}. */
    private RunnerOutcome runWithin(int connectTimeoutSeconds, String... scenarioArgs) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(broker.port()), "--count",
                Long.toString(MESSAGES), "--warmup", "0", "--duration", "60", "--drain", "5", "--threads", "1",
                "--connect-timeout", Integer.toString(connectTimeoutSeconds)));
        args.addAll(List.of(scenarioArgs));
        return RunnerOutcome.run(args.toArray(String[]::new));
    }

    private static void assertCounts(RunnerOutcome outcome, long lost, long duplicates, long outOfOrder) {
        assertAll(outcome.resultLine(),
                () -> assertEquals(lost, outcome.number("lost"), "lost"),
                () -> assertEquals(duplicates, outcome.number("duplicates"), "duplicates"),
                () -> assertEquals(outOfOrder, outcome.number("out_of_order"), "out_of_order"),
                () -> assertEquals(0, outcome.number("unexpected"), "unexpected"));
    }

    @Test
    void aCorrectBrokerPassesWithEverythingAccountedFor() {
        RunnerOutcome outcome = run("--scenario", "pubsub", "--publishers", "2", "--subscribers", "2");

        assertEquals(BenchMain.EXIT_OK, outcome.exitCode(), outcome.stderr());
        assertCounts(outcome, 0, 0, 0);
        assertEquals(2 * MESSAGES, outcome.number("sent"));
        assertEquals(2 * MESSAGES, outcome.number("acked"));
        assertEquals(4 * MESSAGES, outcome.number("received"));
        assertEquals(4 * MESSAGES, outcome.number("latency_samples"));
    }

    @Test
    void droppedQos1MessagesAreCountedAndFailTheRun() {
        broker.dropping(5L, 17L, 42L);

        RunnerOutcome outcome = run("--qos", "1");

        assertCounts(outcome, 3, 0, 0);
        assertEquals(MESSAGES - 3, outcome.number("received"));
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
        assertTrue(outcome.stderr().contains("3 messages lost at QoS >= 1"), outcome.stderr());
    }

    @Test
    void droppedQos0MessagesAreCountedButAllowed() {
        broker.dropping(0L, 99L);

        RunnerOutcome outcome = run("--qos", "0");

        assertCounts(outcome, 2, 0, 0);
        assertEquals(BenchMain.EXIT_OK, outcome.exitCode(), outcome.stderr());
    }

    @Test
    void duplicatesAreCountedAndAllowedAtQos1() {
        broker.duplicating(1L, 2L, 50L);

        RunnerOutcome outcome = run("--qos", "1");

        assertCounts(outcome, 0, 3, 0);
        assertEquals(MESSAGES + 3, outcome.number("received"));
        assertEquals(BenchMain.EXIT_OK, outcome.exitCode(), outcome.stderr());
    }

    @Test
    void duplicatesFailAQos2Run() {
        broker.duplicating(10L, 20L);

        RunnerOutcome outcome = run("--qos", "2", "--mqtt", "5");

        assertCounts(outcome, 0, 2, 0);
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
    }

    @Test
    void reorderedMessagesAreCountedOncePerSwap() {
        broker.reordering(3L, 30L);

        RunnerOutcome outcome = run("--qos", "1");

        assertCounts(outcome, 0, 0, 2);
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
    }

    @Test
    void faultsInAFanoutAreChargedToTheRightSubscribers() {
        broker.dropping(0L, 1L, 2L).duplicating(7L);

        RunnerOutcome outcome = run("--scenario", "fanout", "--subscribers", "3", "--qos", "1");

        assertCounts(outcome, 3, 1, 0);
        assertEquals(3 * MESSAGES, outcome.number("expected"));
    }

    @Test
    void aWildcardSubscriberOfFaninHearsEveryPublisher() {
        broker.dropping(4L);

        RunnerOutcome outcome = run("--scenario", "fanin", "--publishers", "4", "--qos", "1");

        assertCounts(outcome, 1, 0, 0);
        assertEquals(4 * MESSAGES, outcome.number("expected"));
    }

    @Test
    void p2pPeersEachReceiveFromTheirNeighbour() {
        RunnerOutcome outcome = run("--scenario", "p2p", "--clients", "5", "--rate", "500");

        assertEquals(BenchMain.EXIT_OK, outcome.exitCode(), outcome.stderr());
        assertCounts(outcome, 0, 0, 0);
        assertEquals(5 * MESSAGES, outcome.number("received"));
    }

    @Test
    void persistentSubscribersGetTheirBacklogAndLossesInItAreCounted() {
        broker.dropping(10L, 60L);

        RunnerOutcome outcome = run("--scenario", "persistent", "--subscribers", "2", "--qos", "1", "--mqtt", "5");

        assertCounts(outcome, 2, 0, 0);
        assertEquals(2 * MESSAGES, outcome.number("backlog"));
        assertEquals(2 * MESSAGES - 2, outcome.number("received"));
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
    }

    @Test
    void takeoversThatLeaveTheOlderConnectionOpenFailTheRun() {
        RunnerOutcome outcome = runWithin(2, "--scenario", "storm-takeover", "--storm", "2");

        assertCounts(outcome, 0, 0, 0);
        assertEquals(2, outcome.number("takeovers_not_ended"));
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
        assertTrue(outcome.stderr().contains("2 takeovers that left the older connection open"), outcome.stderr());
    }

    @Test
    void willsThatNeverArriveFailTheRun() {
        RunnerOutcome outcome = runWithin(2, "--scenario", "storm-wills", "--storm", "3");

        assertCounts(outcome, 0, 0, 0);
        assertEquals(0, outcome.number("wills_received"));
        assertEquals(3, outcome.number("wills_missing"));
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
    }

    @Test
    void unansweredUnsubscribesStallTheFloodAndFailTheRun() {
        RunnerOutcome outcome = runWithin(2, "--scenario", "storm-subscribe", "--storm", "4", "--clients", "2");

        assertCounts(outcome, 0, 0, 0);
        assertEquals(2, outcome.number("storm_stalled_connections"), "each connection's first UNSUBSCRIBE");
        assertEquals(2, outcome.number("ack_samples"), "the SUBACKs");
        assertEquals(BenchMain.EXIT_BROKEN_GUARANTEE, outcome.exitCode());
    }

    @Test
    void idleConnectionsAreOpenedAndHeld() {
        RunnerOutcome outcome = run("--scenario", "conns", "--clients", "50", "--hold", "0");

        assertEquals(BenchMain.EXIT_OK, outcome.exitCode(), outcome.stderr());
        assertEquals(50, outcome.number("connections"));
        assertEquals(50, outcome.number("connect_samples"), "each connection's time to SUBACK");
    }
}
