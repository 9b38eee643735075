package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the broker's ACL 2.0 authentication on, MQTT clients log in as broker users; wrong or
 * missing credentials get the MQTT 5 reason codes and the MQTT 3.1.1 return codes
 * [MQTT-3.2.2-8, MQTT-3.2.2-4].
 */
class AuthenticationTest {

    private static final String USER = SecuredBroker.ADMIN;
    private static final String PASSWORD = SecuredBroker.ADMIN_PASSWORD;
    private static LocalCluster cluster;

    @BeforeAll
    static void startBrokerWithAuthentication() throws Exception {
        cluster = SecuredBroker.cluster();
    }

    @Test
    void aBrokerUserLogsIn() throws Exception {
        MqttClient client = client("auth-ok");
        client.connect(options(USER, PASSWORD));
        client.publish("authtopic/a", MqttClients.qos1("hello"));
        MqttClients.closeQuietly(client);
    }

    @Test
    void aWrongPasswordGetsBadUserNameOrPassword() throws Exception {
        MqttException refused = assertThrows(MqttException.class, () -> client("auth-bad").connect(options(USER, "wrong")));
        assertEquals(0x86, refused.getReasonCode(), refused.toString());
    }

    @Test
    void anUnknownUserGetsBadUserNameOrPassword() throws Exception {
        MqttException refused = assertThrows(MqttException.class, () -> client("auth-who").connect(options("nobody", "x")));
        assertEquals(0x86, refused.getReasonCode(), refused.toString());
    }

    @Test
    void noCredentialsGetNotAuthorized() throws Exception {
        MqttException refused = assertThrows(MqttException.class, () -> client("auth-none").connect(options(null, null)));
        assertEquals(0x87, refused.getReasonCode(), refused.toString());
    }

    @Test
    void v3ClientsGetTheReturnCodesOf311() throws Exception {
        org.eclipse.paho.client.mqttv3.MqttConnectOptions wrong = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        wrong.setUserName(USER);
        wrong.setPassword("wrong".toCharArray());
        assertEquals(4, v3Refusal(wrong), "0x04 bad user name or password");
        assertEquals(5, v3Refusal(new org.eclipse.paho.client.mqttv3.MqttConnectOptions()), "0x05 not authorized");
    }

    /**
     * The TLS listener requires a client certificate (mqttTlsClientAuth=require): a client
     * without one is refused in the TLS handshake, before any CONNECT, whatever credentials it
     * would send.
     */
    @Test
    void overMutualTlsAClientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
        MqttConnectionOptions credentialsOnly = options(USER, PASSWORD);
        credentialsOnly.setSocketFactory(SecuredBroker.deviceSockets(null));
        MqttClient client = new MqttClient(SecuredBroker.tlsUri(), "no-certificate", new MemoryPersistence());
        MqttException refused = assertThrows(MqttException.class, () -> client.connect(credentialsOnly));
        assertTrue(causes(refused).anyMatch(SSLException.class::isInstance), "refused by TLS: " + refused);
        assertFalse(client.isConnected());
        client.close(true);
    }

    private static Stream<Throwable> causes(Throwable thrown) {
        return Stream.iterate(thrown, Objects::nonNull, Throwable::getCause);
    }

    private static int v3Refusal(org.eclipse.paho.client.mqttv3.MqttConnectOptions options) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient client = new org.eclipse.paho.client.mqttv3.MqttClient(
            "tcp://127.0.0.1:" + TestBrokers.mqttPort(cluster), "auth-v3",
            new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            return assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class, () -> client.connect(options))
                .getReasonCode();
        } finally {
            client.close();
        }
    }

    private static MqttClient client(String clientId) throws MqttException {
        return new MqttClient("tcp://127.0.0.1:" + TestBrokers.mqttPort(cluster), clientId, new MemoryPersistence());
    }

    private static MqttConnectionOptions options(String user, String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        return options;
    }
}
