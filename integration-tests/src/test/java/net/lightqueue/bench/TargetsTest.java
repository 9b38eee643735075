package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cross-broker runs: publishers connect to --host/--port, subscribers to --subscriber-host/--subscriber-port. */
class TargetsTest {

    @Test
    void subscribersConnectToTheSubscriberBrokerAndPublishersToTheBroker() {
        BenchOptions options = BenchOptions.parse("--port", "1883", "--subscriber-port", "1884",
                "--publishers", "2", "--subscribers", "3");
        Targets targets = Targets.of(options);
        ClientPlan plan = ClientPlan.of(options, "run1");

        assertTrue(options.crossBroker());
        assertEquals(List.of(1883, 1883), plan.publishersOnly().stream().map(c -> targets.of(c).getPort()).toList());
        assertEquals(List.of(1884, 1884, 1884), plan.subscribers().stream().map(c -> targets.of(c).getPort()).toList());
        assertTrue(targets.of(plan.subscribers().get(0)).getAddress().isLoopbackAddress());
    }

    @Test
    void everyClientConnectsToTheBrokerByDefault() {
        BenchOptions options = BenchOptions.parse("--host", "localhost", "--port", "1890", "--scenario", "fanout");
        Targets targets = Targets.of(options);

        assertFalse(options.crossBroker());
        assertEquals("localhost", options.subscriberHost());
        assertEquals(targets.broker(), targets.subscriberBroker());
        ClientPlan.of(options, "run1").clients().forEach(c -> assertEquals(1890, targets.of(c).getPort()));
    }

    @Test
    void refusesASubscriberBrokerWhereClientsBothPublishAndSubscribe() {
        UsageException refused = assertThrows(UsageException.class,
                () -> BenchOptions.parse("--scenario", "p2p", "--subscriber-port", "1884"));
        assertTrue(refused.getMessage().contains("separate publishers and subscribers"), refused.getMessage());
    }

    @Test
    void aRunConnectsItsSubscribersToTheSubscriberBroker() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        FaultyBroker broker = new FaultyBroker();
        try {
            RunnerOutcome outcome = RunnerOutcome.run("--port", Integer.toString(broker.port()),
                    "--subscriber-port", Integer.toString(closed), "--count", "10", "--warmup", "0",
                    "--threads", "1", "--connect-timeout", "5");

            assertEquals(BenchMain.EXIT_SETUP, outcome.exitCode());
            assertTrue(outcome.stderr().contains("cannot connect to") && outcome.stderr().contains(":" + closed),
                    outcome.stderr());
        } finally {
            broker.close();
        }
    }

    @Test
    void refusesANonLoopbackSubscriberBroker() {
        RunnerOutcome outcome = RunnerOutcome.run("--subscriber-host", "192.0.2.1", "--subscriber-port", "1884");

        assertEquals(BenchMain.EXIT_SETUP, outcome.exitCode());
        assertTrue(outcome.stderr().contains("refusing non-loopback target 192.0.2.1"), outcome.stderr());
    }
}
