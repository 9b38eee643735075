package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS listener with mqttTlsClientAuth=require: only clients with a trusted certificate are served. */
class MutualTlsTest {

    @TempDir
    static Path dir;
    static MqttBroker broker;
    static int tlsPort;
    static TestCertificates.Identity server;
    static TestCertificates.Identity device;

    @BeforeAll
    static void start() throws Exception {
        server = TestCertificates.create(dir, "server");
        device = TestCertificates.create(dir, "device-1");
        server.writePem(dir.resolve("server.pem"), dir.resolve("server.key"));
        device.writePem(dir.resolve("trusted-devices.pem"), dir.resolve("device.key"));
        tlsPort = MqttBroker.freePort();
        broker = MqttBroker.start(Files.createDirectories(dir.resolve("store")), "mqttTlsPort=" + tlsPort,
            "mqttTlsCertFile=" + dir.resolve("server.pem"), "mqttTlsKeyFile=" + dir.resolve("server.key"),
            "mqttTlsClientAuth=require", "mqttTlsTrustCertFile=" + dir.resolve("trusted-devices.pem"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void clientWithATrustedCertificateIsServed() throws Exception {
        RoundTrip.assertRoundTrip(uri(), options(device), "device-1");
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        assertRefused(options(null), "no-certificate");
    }

    @Test
    void clientWithAnUntrustedCertificateIsRefused() throws Exception {
        assertRefused(options(TestCertificates.create(dir, "stranger")), "stranger");
    }

    private static void assertRefused(MqttConnectOptions options, String clientId) throws MqttException {
        MqttClient client = new MqttClient(uri(), clientId, new MemoryPersistence());
        try {
            assertThrows(MqttException.class, () -> client.connect(options));
        } finally {
            client.close(true);
        }
    }

    private static String uri() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    private static MqttConnectOptions options(TestCertificates.Identity own) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(TestCertificates.clientContext(own, server.certificate()).getSocketFactory());
        return options;
    }
}
