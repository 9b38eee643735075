package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.lightqueue.host.testing.TestCertificates;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listener with mqttTlsClientAuth=require: only clients with a trusted certificate are
 * served; and with mqttTlsCertAsUsername the certificate's CN is who the client is.
 */
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

    /**
     * mqttTlsClientAuth=optional, mqttTlsCertAsUsername=true and mqttAllowAnonymous=false (so a
     * client without any user name is refused): on the TLS listener the verified certificate's CN
     * replaces the CONNECT user name and password on the TLS and wss listeners; the plain TCP
     * listener is unaffected.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class CertificateAsUserName {

        private MqttBroker certBroker;
        private int certTlsPort;
        private int certWssPort;

        @BeforeAll
        void start() throws Exception {
            certTlsPort = MqttBroker.freePort();
            certWssPort = MqttBroker.freePort();
            certBroker = MqttBroker.start(Files.createDirectories(dir.resolve("cert-as-username")),
                "mqttTlsPort=" + certTlsPort, "mqttWssPort=" + certWssPort, "mqttTlsCertFile=" + dir.resolve("server.pem"),
                "mqttTlsKeyFile=" + dir.resolve("server.key"), "mqttTlsClientAuth=optional",
                "mqttTlsTrustCertFile=" + dir.resolve("trusted-devices.pem"), "mqttTlsCertAsUsername=true",
                "mqttAllowAnonymous=false");
        }

        @AfterAll
        void stop() {
            certBroker.close();
        }

        @Test
        void certificateCommonNameIsTheUserTheAccessControlSeesWhateverTheConnectUserNameSays() throws Exception {
            MqttConnectOptions options = options(device);
            options.setUserName("admin");
            options.setPassword("not-checked".toCharArray());
            assertEquals("device-1", connectedUser(tlsUri(), options, "impostor"));
        }

        @Test
        void secureWebSocketClientIsItsCertificateCommonNameToo() throws Exception {
            MqttConnectOptions options = options(device);
            options.setUserName("admin");
            assertEquals("device-1", connectedUser("wss://127.0.0.1:" + certWssPort + "/mqtt", options, "over-wss"));
        }

        @Test
        void clientWithACertificateAndNoUserNameIsServedAsItsCommonName() throws Exception {
            RoundTrip.assertRoundTrip(tlsUri(), options(device), "device-without-user-name");
        }

        @Test
        void clientWithoutACertificateIsRefusedWithBadUserNameOrPasswordV3() throws Exception {
            MqttConnectOptions options = options(null);
            options.setUserName("device-1");
            options.setPassword("guess".toCharArray());
            MqttClient client = new MqttClient(tlsUri(), "no-certificate-v3", new MemoryPersistence());
            try {
                MqttException refused = assertThrows(MqttException.class, () -> client.connect(options));
                assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode(),
                    "CONNACK 4 bad user name or password: " + refused);
            } finally {
                client.close(true);
            }
        }

        @Test
        void clientWithoutACertificateIsRefusedWithBadUserNameOrPasswordV5() throws Exception {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(TestCertificates.clientContext(null, server.certificate()).getSocketFactory());
            options.setUserName("device-1");
            options.setPassword("guess".getBytes(StandardCharsets.UTF_8));
            org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                tlsUri(), "no-certificate-v5", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            try {
                org.eclipse.paho.mqttv5.common.MqttException refused = assertThrows(
                    org.eclipse.paho.mqttv5.common.MqttException.class, () -> client.connect(options));
                assertEquals(0x86, refused.getReasonCode(), "CONNACK 0x86 bad user name or password: " + refused);
            } finally {
                client.close(true);
            }
        }

        @Test
        void plainTcpListenerKeepsTheConnectUserName() throws Exception {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("plain-user");
            MqttClient client = new MqttClient(certBroker.uri(), "plain-tcp", new MemoryPersistence());
            try {
                client.connect(options);
                assertEquals("plain-user", certBroker.plugin().server().services().registry()
                    .accessClient("plain-tcp").username());
                client.disconnect();
            } finally {
                client.close(true);
            }
        }

        /** Connects and answers the user name the broker's access control checks for the client. */
        private String connectedUser(String uri, MqttConnectOptions options, String clientId) throws MqttException {
            MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
            try {
                client.connect(options);
                String user = certBroker.plugin().server().services().registry().accessClient(clientId).username();
                client.disconnect();
                return user;
            } finally {
                client.close(true);
            }
        }

        private String tlsUri() {
            return "ssl://127.0.0.1:" + certTlsPort;
        }
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
