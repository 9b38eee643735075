package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.lightqueue.host.testing.TestCertificates;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.BrokerNode;
import net.lightqueue.it.FreePorts;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients other than Paho against a broker process with TLS, WebSocket and secure WebSocket on:
 * mosquitto_sub and mosquitto_pub over TLS (the server certificate checked with {@code --cafile}),
 * MQTT.js under Node over ws:// and wss://, and the server certificate renewed on disk while the
 * broker runs. Each needs its program on the PATH ({@code .ci/run} installs them); MQTT.js is
 * installed with npm into the build directory.
 */
class RealClientsTest {

    private static final String MQTT_JS = "mqtt@5.16.0";

    private static LocalCluster cluster;
    private static BrokerNode broker;
    private static Path work;
    /** The server certificate's authority before and after the renewal test: the other tests trust both. */
    private static TestCertificates.Identity firstAuthority;
    private static TestCertificates.Identity renewalAuthority;
    private static Path firstCaFile;
    private static Path renewalCaFile;
    private static Path caFile;
    private static Path certFile;
    private static Path keyFile;
    private static int tlsPort;
    private static int wsPort;
    private static int wssPort;

    @BeforeAll
    static void startBrokerWithEveryListener() throws Exception {
        work = TestBrokers.newWorkDir("real-clients");
        firstAuthority = TestCertificates.authority(work, "first-ca");
        renewalAuthority = TestCertificates.authority(work, "renewal-ca");
        firstCaFile = work.resolve("first-ca.pem");
        renewalCaFile = work.resolve("renewal-ca.pem");
        firstAuthority.writeCertificatePem(firstCaFile);
        renewalAuthority.writeCertificatePem(renewalCaFile);
        caFile = work.resolve("both-ca.pem");
        Files.writeString(caFile, Files.readString(firstCaFile) + Files.readString(renewalCaFile));
        certFile = work.resolve("server.pem");
        keyFile = work.resolve("server.key");
        TestCertificates.issue(work, "localhost", firstAuthority).writePem(certFile, keyFile);
        tlsPort = FreePorts.one();
        wsPort = FreePorts.one();
        wssPort = FreePorts.one();
        cluster = TestBrokers.newCluster("real-clients", Map.of(
            "mqttTlsPort", String.valueOf(tlsPort), "mqttWsPort", String.valueOf(wsPort),
            "mqttWssPort", String.valueOf(wssPort), "mqttTlsCertFile", certFile.toString(),
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

    /**
     * The certificate files replaced by ones from another authority, as a renewal that changes
     * CA does: once the broker has read them (it checks every few seconds), a client that trusts
     * only the new authority connects and one that trusts only the old one is refused, while a
     * connection opened before keeps working (TLS settles a connection's certificate at its
     * handshake).
     */
    @Test
    void renewedCertificateFilesServeNewConnectionsWhileOpenOnesStay() throws Exception {
        assumeTrue(onPath("mosquitto_pub"), "mosquitto-clients is not installed");
        MqttConnectionOptions firstOnly = new MqttConnectionOptions();
        firstOnly.setSocketFactory(TestCertificates.clientContext(null, firstAuthority.certificate()).getSocketFactory());
        firstOnly.setConnectionTimeout(30);
        MqttClient opened = new MqttClient("ssl://127.0.0.1:" + tlsPort, "opened-before-renewal", new MemoryPersistence());
        Arrivals arrivals = new Arrivals();
        opened.setCallback(arrivals);
        opened.connect(firstOnly);
        opened.subscribe("renewal/#", 1);

        TestCertificates.issue(work, "localhost-renewed", renewalAuthority).writePem(certFile, keyFile);
        List<String> publishTrustingRenewal = mosquittoPub(renewalCaFile, "renewal/new", "after");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Finished renewed = execute(publishTrustingRenewal);
        while (renewed.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            renewed = execute(publishTrustingRenewal);
        }
        assertEquals(0, renewed.exitCode(),
            "trusting only the new authority: " + renewed.output() + "\n" + cluster.diagnostics());

        Finished refused = execute(mosquittoPub(firstCaFile, "renewal/refused", "old authority"));
        assertNotEquals(0, refused.exitCode(), "trusting only the old authority after the renewal: " + refused.output());
        assertTrue(refused.output().contains("A TLS error occurred"), refused.output());

        opened.publish("renewal/opened", MqttClients.qos1("still here"));
        assertEquals(List.of("renewal/new after", "renewal/opened still here"),
            arrivals.await(2, Duration.ofSeconds(30)).stream().map(a -> a.topic() + " " + a.body()).toList(),
            "what the connection opened before the renewal received, in order");
        assertEquals(List.of(), arrivals.drain(Duration.ofSeconds(2)), "nothing from the refused client");
        MqttClients.closeQuietly(opened);
    }

    private static List<String> mosquittoPub(Path trusted, String topic, String body) {
        return List.of("mosquitto_pub", "-h", "localhost", "-p", String.valueOf(tlsPort), "--cafile", trusted.toString(),
            "-q", "1", "-V", "mqttv311", "-t", topic, "-m", body);
    }

    /**
     * The benchmark runner ({@code bench/mqtt-bench.sh}, Netty) as a client of each listener:
     * every QoS 1 message acknowledged and delivered to both subscribers, in order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tls", "ws", "wss"})
    void benchmarkRunnerOverEachListener(String transport) throws Exception {
        int port = Map.of("tls", tlsPort, "ws", wsPort, "wss", wssPort).get(transport);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "net.lightqueue.bench.BenchMain", "--transport", transport,
            "--port", String.valueOf(port), "--scenario", "pubsub", "--publishers", "2", "--subscribers", "2",
            "--qos", "1", "--count", "50", "--warmup", "0", "--duration", "60", "--drain", "10", "--threads", "1",
            "--topic-prefix", "bench-" + transport, "--connect-timeout", "30"));
        if (!transport.equals("ws")) {
            command.addAll(List.of("--cafile", caFile.toString()));
        }
        String out = run(command);
        String result = out.lines().filter(line -> line.startsWith("RESULT ")).findFirst().orElse("no RESULT line: " + out);
        Map<String, String> expected = Map.of("ok", "true", "transport", "\"" + transport + "\"", "acked", "100",
            "received", "200", "lost", "0", "out_of_order", "0", "duplicates", "0");
        expected.forEach((key, value) -> assertTrue(Pattern.compile("\"" + key + "\":" + Pattern.quote(value) + "[,}]")
            .matcher(result).find(), key + " = " + value + " in " + result));
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
        Finished finished = execute(command);
        assertEquals(0, finished.exitCode(), String.join(" ", command) + " failed:\n" + finished.output());
        return finished.output();
    }

    private record Finished(int exitCode, String output) {
    }

    /** Runs a command to its end (killed after two minutes); returns its exit code and output. */
    private static Finished execute(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(process::destroyForcibly);
        byte[] out = process.getInputStream().readAllBytes();
        return new Finished(process.waitFor(), new String(out, StandardCharsets.UTF_8));
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
