package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.lightqueue.host.testing.TestCertificates;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.FreePorts;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients other than Paho against a broker process with TLS, WebSocket and secure WebSocket on:
 * mosquitto_sub and mosquitto_pub over TLS (the server certificate checked with {@code --cafile}),
 * MQTT.js under Node over ws:// and wss://. Each needs its program on the PATH ({@code .ci/run}
 * installs them); MQTT.js is installed with npm into the build directory.
 */
class RealClientsTest {

    private static final String MQTT_JS = "mqtt@5.16.0";

    private static LocalCluster cluster;
    private static BrokerNode broker;
    private static Path work;
    private static Path caFile;
    private static int tlsPort;
    private static int wsPort;
    private static int wssPort;

    @BeforeAll
    static void startBrokerWithEveryListener() throws Exception {
        work = TestBrokers.newWorkDir("real-clients");
        caFile = work.resolve("server.pem");
        Path keyFile = work.resolve("server.key");
        TestCertificates.create(work, "localhost").writePem(caFile, keyFile);
        tlsPort = FreePorts.one();
        wsPort = FreePorts.one();
        wssPort = FreePorts.one();
        cluster = TestBrokers.newCluster("real-clients", Map.of(
            "mqttTlsPort", String.valueOf(tlsPort), "mqttWsPort", String.valueOf(wsPort),
            "mqttWssPort", String.valueOf(wssPort), "mqttTlsCertFile", caFile.toString(),
            "mqttTlsKeyFile", keyFile.toString()));
        broker = cluster.master();
        cluster.start();
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void mosquittoSubAndPubOverTls() throws Exception {
        assumeTrue(onPath("mosquitto_sub") && onPath("mosquitto_pub") && onPath("stdbuf"),
            "mosquitto-clients (or coreutils' stdbuf) is not installed");
        List<String> tls = List.of("-h", "localhost", "-p", String.valueOf(tlsPort), "--cafile", caFile.toString(),
            "-q", "1", "-V", "mqttv311");
        // -d: the debug lines (they start with "Client ") and "Subscribed" tell when the SUBACK came.
        // Not mosquitto_sub's own -W timeout: with it, mosquitto_sub 2.0 over TLS processes no message.
        // stdbuf: its output is a pipe here, which C buffers until exit.
        List<String> subscribe = new ArrayList<>(
            List.of("stdbuf", "-oL", "mosquitto_sub", "-d", "-t", "mosquitto/#", "-v", "-C", "3"));
        subscribe.addAll(tls);
        Process subscriber = new ProcessBuilder(subscribe).redirectErrorStream(true).start();
        CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS).execute(subscriber::destroyForcibly);
        List<String> received = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("Subscribed (mid")) {
                received.add(line);
            }
            assertTrue(line != null, "mosquitto_sub got no SUBACK over TLS: " + received + "\n" + cluster.diagnostics());
            received.clear();
            for (int i = 1; i <= 3; i++) {
                List<String> publish = new ArrayList<>(List.of("mosquitto_pub", "-t", "mosquitto/tls", "-m", "m" + i));
                publish.addAll(tls);
                assertEquals("", run(publish), "mosquitto_pub over TLS");
            }
            while ((line = lines.readLine()) != null) {
                if (!line.startsWith("Client ")) {
                    received.add(line);
                }
            }
        }
        assertEquals(List.of("mosquitto/tls m1", "mosquitto/tls m2", "mosquitto/tls m3"), received,
            "what mosquitto_sub received over TLS, in order, once\n" + cluster.diagnostics());
    }

    @Test
    void mqttJsOverWebSocket() throws Exception {
        assertEquals("[{\"topic\":\"js/ws\",\"body\":\"m1\",\"qos\":1},{\"topic\":\"js/ws\",\"body\":\"m2\",\"qos\":1},"
            + "{\"topic\":\"js/ws\",\"body\":\"m3\",\"qos\":1}]\n",
            mqttJs("ws://127.0.0.1:" + wsPort + "/mqtt", "", "js/ws"), cluster.diagnostics());
    }

    @Test
    void mqttJsOverSecureWebSocket() throws Exception {
        assertEquals("[{\"topic\":\"js/wss\",\"body\":\"m1\",\"qos\":1},{\"topic\":\"js/wss\",\"body\":\"m2\",\"qos\":1},"
            + "{\"topic\":\"js/wss\",\"body\":\"m3\",\"qos\":1}]\n",
            mqttJs("wss://localhost:" + wssPort + "/mqtt", caFile.toString(), "js/wss"), cluster.diagnostics());
    }

    /** Runs the round trip script with MQTT.js; returns its output line. */
    private static String mqttJs(String url, String ca, String topic) throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "Node and npm are not installed");
        Path clients = installMqttJs();
        return run(List.of("node", clients.resolve("roundtrip.js").toString(), url, ca, topic));
    }

    /** MQTT.js and the script in one folder under target/, installed once per build. */
    private static synchronized Path installMqttJs() throws IOException, InterruptedException {
        Path clients = Path.of(System.getProperty("test.work.dir")).resolve("node-clients");
        Files.createDirectories(clients);
        try (InputStream script = RealClientsTest.class.getResourceAsStream("/node-clients/roundtrip.js")) {
            Files.copy(script, clients.resolve("roundtrip.js"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(clients.resolve("node_modules/mqtt"))) {
            run(List.of("npm", "install", "--prefix", clients.toString(), "--no-audit", "--no-fund", "--silent", MQTT_JS));
        }
        return clients;
    }

    /** Runs a command to its end; returns its output, or fails with it when the exit code is not 0. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = output(process);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    private static String output(Process process) throws IOException, InterruptedException {
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
