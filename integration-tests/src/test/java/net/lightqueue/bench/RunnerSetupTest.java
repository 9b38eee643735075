package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Runs that must not start, and the exit codes and messages that tell why. */
class RunnerSetupTest {

    @Test
    void refusesANonLoopbackTarget() {
        RunnerOutcome outcome = RunnerOutcome.run("--host", "192.0.2.1", "--port", "1883");

        assertEquals(BenchMain.EXIT_SETUP, outcome.exitCode());
        assertTrue(outcome.stderr().contains("refusing non-loopback target 192.0.2.1"), outcome.stderr());
        assertEquals("false", outcome.raw("ok"));
    }

    @Test
    void reportsABrokerThatDoesNotListen() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        RunnerOutcome outcome = RunnerOutcome.run("--port", Integer.toString(port), "--connect-timeout", "5");

        assertEquals(BenchMain.EXIT_SETUP, outcome.exitCode());
        assertTrue(outcome.stderr().contains("cannot connect"), outcome.stderr());
    }

    @Test
    void rejectsUnknownOptionsWithUsage() {
        RunnerOutcome outcome = RunnerOutcome.run("--publishrs", "3");

        assertEquals(BenchMain.EXIT_USAGE, outcome.exitCode());
        assertTrue(outcome.stderr().contains("unknown option --publishrs"), outcome.stderr());
        assertTrue(outcome.stderr().contains("Usage: mqtt-bench"), outcome.stderr());
    }

    @Test
    void rejectsAPersistentRunAtQos0() {
        RunnerOutcome outcome = RunnerOutcome.run("--scenario", "persistent", "--qos", "0", "--count", "10");

        assertEquals(BenchMain.EXIT_USAGE, outcome.exitCode());
    }
}
