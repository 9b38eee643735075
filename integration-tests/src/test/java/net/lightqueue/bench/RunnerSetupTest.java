package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void tlsAndSecureWebSocketNeedACaFileAndOnlyThey() {
        RunnerOutcome noCaFile = RunnerOutcome.run("--transport", "wss");
        assertEquals(BenchMain.EXIT_USAGE, noCaFile.exitCode());
        assertTrue(noCaFile.stderr().contains("--transport wss needs --cafile"), noCaFile.stderr());

        RunnerOutcome plainWithCaFile = RunnerOutcome.run("--transport", "ws", "--cafile", "ca.pem");
        assertEquals(BenchMain.EXIT_USAGE, plainWithCaFile.exitCode());
        assertTrue(plainWithCaFile.stderr().contains("--cafile is for --transport tls or wss, not ws"),
            plainWithCaFile.stderr());
    }

    @Test
    void reportsACaFileThatDoesNotLoad() throws IOException {
        Path notPem = Files.createTempFile("not-a-certificate", ".pem");
        Files.writeString(notPem, "not a certificate");

        RunnerOutcome outcome = RunnerOutcome.run("--transport", "tls", "--cafile", notPem.toString());

        assertEquals(BenchMain.EXIT_SETUP, outcome.exitCode());
        assertTrue(outcome.stderr().contains("cannot use --cafile " + notPem), outcome.stderr());
        Files.delete(notPem);
    }
}
