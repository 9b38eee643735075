package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.TestBrokers;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publish, subscribe, wills and retained messages against the broker's own ACL 2.0: a normal
 * user created with the broker's admin API may publish to {@code allowed}, subscribe to
 * {@code allowed} and {@code readonly}, and do nothing with {@code secret}. Permissions are per
 * first-level (RocketMQ) topic; a filter whose first level is a wildcard needs {@code Topic:*}.
 */
class AuthorizationTest {

    private static final String DEVICE = "device";
    private static final String WATCHER = "watcher";
    private static final String FLIPPER = "flipper";
    private static final String RESUMER = "resumer";
    private static final String PASSWORD = "Dev1ce-Passw0rd";
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int FAILURE_V3 = 0x80;
    private static final long WAIT_MILLIS = 30_000;
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static LocalCluster cluster;

    @BeforeAll
    static void usersAndRetainedMessages() throws Exception {
        cluster = SecuredBroker.cluster();
        SecuredBroker.createUser(DEVICE, PASSWORD);
        SecuredBroker.allow(DEVICE, List.of("Topic:allowed"), List.of("Pub", "Sub"));
        SecuredBroker.allowMore(DEVICE, List.of("Topic:readonly"), List.of("Sub"));
        SecuredBroker.createUser(WATCHER, PASSWORD);
        SecuredBroker.allow(WATCHER, List.of("Topic:*"), List.of("Sub"));
        SecuredBroker.createUser(FLIPPER, PASSWORD);
        SecuredBroker.allow(FLIPPER, List.of("Topic:flip"), List.of("Pub", "Sub"));
        SecuredBroker.createUser(RESUMER, PASSWORD);
        SecuredBroker.allow(RESUMER, List.of("Topic:persist"), List.of("Sub"));

        Client admin = Client.connect("acl-admin-publisher", SecuredBroker.ADMIN, SecuredBroker.ADMIN_PASSWORD, true);
        for (String topic : List.of("allowed/r", "readonly/r", "secret/r")) {
            MqttMessage retained = message(topic);
            retained.setRetained(true);
            assertEquals(0, admin.publish(topic, retained), "a super user may publish anywhere");
        }
        admin.close();
    }

    @Test
    void v5PublishIsAcknowledgedOrRefusedAsTheAclSays_MQTT_3_4_2_1() throws Exception {
        Client device = Client.connect("pub-v5", DEVICE, PASSWORD, true);
        assertEquals(0, device.publish("allowed/a", message("ok")));
        assertEquals(NOT_AUTHORIZED, device.publish("readonly/a", message("subscribe-only topic")));
        assertEquals(NOT_AUTHORIZED, device.publish("secret/a", message("no permission")));
        assertTrue(device.client.isConnected(), "a refused publish does not end a v5 connection");
        device.close();
    }

    /** MQTT 3.1.1 has no negative PUBACK: the server closes the connection instead [MQTT-3.3.5-2]. */
    @Test
    void v3PublishWithoutPermissionClosesTheConnection_MQTT_3_3_5_2() throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient device = v3Client("pub-v3");
        device.connect(v3Options(DEVICE));
        device.publish("allowed/v3", "ok".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class,
            () -> device.publish("secret/v3", "no".getBytes(StandardCharsets.UTF_8), 1, false));
        assertFalse(device.isConnected());
        device.close();
    }

    /**
     * One SUBSCRIBE with mixed filters: a reason code per filter in order [MQTT-3.9.3-1]; allowed
     * filters are granted and get their retained messages [MQTT-3.8.4-4], refused ones get 0x87
     * and nothing else (not even the retained messages of their topic). A shared subscription
     * needs the permission of the filter it shares.
     */
    @Test
    void v5SubscribeGrantsAllowedFiltersAndRefusesTheOthers_MQTT_3_9_3_1() throws Exception {
        Client device = Client.connect("sub-v5", DEVICE, PASSWORD, true);
        assertArrayEquals(new int[] {1, 1, NOT_AUTHORIZED, NOT_AUTHORIZED, NOT_AUTHORIZED, 1, NOT_AUTHORIZED},
            device.subscribe("allowed/#", "readonly/#", "secret/#", "#", "+/r", "$share/g/allowed/s", "$share/g/secret/s"));
        assertEquals(Set.of("allowed/r", "readonly/r"), topics(device.arrivals.await(2, Duration.ofMillis(WAIT_MILLIS))));
        assertEquals(List.of(), device.arrivals.drain(QUIET), "nothing from refused filters");
        device.close();
    }

    @Test
    void v3SubscribeRefusesWithFailureReturnCode_MQTT_3_9_3_2() throws Exception {
        org.eclipse.paho.client.mqttv3.MqttAsyncClient device = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
            uri(), "sub-v3", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        device.connect(v3Options(DEVICE)).waitForCompletion(WAIT_MILLIS);
        org.eclipse.paho.client.mqttv3.IMqttToken granted =
            device.subscribe(new String[] {"allowed/#", "secret/#", "#", "readonly/x"}, new int[] {1, 1, 1, 0});
        granted.waitForCompletion(WAIT_MILLIS);
        assertArrayEquals(new int[] {1, FAILURE_V3, FAILURE_V3, 0}, granted.getGrantedQos());
        device.disconnect().waitForCompletion(WAIT_MILLIS);
        device.close();
    }

    /** "Topic:*" is what permission on any topic means: wildcard first levels then match every topic. */
    @Test
    void aWildcardFirstLevelNeedsPermissionOnEveryTopic() throws Exception {
        Client watcher = Client.connect("wildcard", WATCHER, PASSWORD, true);
        assertArrayEquals(new int[] {1}, watcher.subscribe("+/r"));
        assertEquals(Set.of("allowed/r", "readonly/r", "secret/r"),
            topics(watcher.arrivals.await(3, Duration.ofMillis(WAIT_MILLIS))));
        watcher.close();
    }

    /** The will is a publish too: one the user may not make is refused at CONNECT [MQTT-3.1.4-2]. */
    @Test
    void aWillToATopicWithoutPublishPermissionIsRefusedAtConnect_MQTT_3_1_4_2() throws Exception {
        MqttConnectionOptions v5 = Client.options(DEVICE, PASSWORD, true);
        v5.setWill("secret/will", message("gone"));
        MqttException refused = assertThrows(MqttException.class, () -> Client.connect("will-v5", v5));
        assertEquals(NOT_AUTHORIZED, refused.getReasonCode(), refused.toString());

        org.eclipse.paho.client.mqttv3.MqttConnectOptions v3 = v3Options(DEVICE);
        v3.setWill("secret/will", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        org.eclipse.paho.client.mqttv3.MqttClient v3Client = v3Client("will-v3");
        assertEquals(5, assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class, () -> v3Client.connect(v3))
            .getReasonCode(), "0x05 not authorized");
        v3Client.close();

        MqttConnectionOptions permitted = Client.options(DEVICE, PASSWORD, true);
        permitted.setWill("allowed/will", message("gone"));
        Client.connect("will-ok", permitted).close();
    }

    /** Every publish and SUBSCRIBE is checked when it happens: a revoked permission applies at once. */
    @Test
    void aRevokedPermissionAppliesToTheLiveConnection() throws Exception {
        Client flipper = Client.connect("revoked-live", FLIPPER, PASSWORD, true);
        assertEquals(0, flipper.publish("flip/a", message("before")));
        assertArrayEquals(new int[] {1}, flipper.subscribe("flip/before"));

        SecuredBroker.revoke(FLIPPER, "Topic:flip");

        assertEquals(NOT_AUTHORIZED, flipper.publish("flip/b", message("after")));
        assertArrayEquals(new int[] {NOT_AUTHORIZED}, flipper.subscribe("flip/after"));
        flipper.close();
    }

    /**
     * A persistent session resumed after its user lost the permission of a subscription no
     * longer has that subscription: what was published meanwhile is not delivered.
     */
    @Test
    void aResumedSessionLosesTheSubscriptionsWhosePermissionWasRevoked() throws Exception {
        MqttConnectionOptions persistent = Client.options(RESUMER, PASSWORD, false);
        persistent.setSessionExpiryInterval(300L);
        Client first = Client.connect("revoked-resume", persistent);
        assertArrayEquals(new int[] {1}, first.subscribe("persist/#"));
        first.close();

        SecuredBroker.revoke(RESUMER, "Topic:persist");
        Client admin = Client.connect("revoked-resume-publisher", SecuredBroker.ADMIN, SecuredBroker.ADMIN_PASSWORD, true);
        assertEquals(0, admin.publish("persist/while-away", message("not for a revoked subscription")));
        admin.close();

        Client resumed = Client.connect("revoked-resume", persistent);
        assertTrue(resumed.sessionPresent, "the session itself resumes [MQTT-3.2.2-2]");
        assertEquals(List.of(), resumed.arrivals.drain(QUIET));
        assertTrue(awaitLog("resumed without its subscription to 'persist/#': permission revoked"),
            cluster.home().logTail("broker_default.log", 20));
        resumed.close();
    }

    /**
     * On the TLS listener (mqttTlsClientAuth=require, mqttTlsCertAsUsername=true) the ACL is
     * evaluated for the CN of the client's certificate: CN=device publishes where the user
     * {@code device} may; a CN that is no user may do nothing, even with the super user's name
     * and password in its CONNECT (v5 PUBACK and SUBACK 0x87).
     */
    @Test
    void overMutualTlsTheAclIsTheCertificateCommonNames() throws Exception {
        MqttConnectionOptions asDevice = Client.options(null, null, true);
        asDevice.setSocketFactory(SecuredBroker.deviceSockets(DEVICE));
        Client device = Client.connect(SecuredBroker.tlsUri(), "cert-device", asDevice);
        assertArrayEquals(new int[] {1}, device.subscribe("allowed/cert"));
        assertEquals(0, device.publish("allowed/cert", message("from a certificate")));
        assertEquals(List.of("allowed/cert"), device.arrivals.await(1, Duration.ofMillis(WAIT_MILLIS)).stream()
            .map(Arrivals.Arrival::topic).toList());
        assertEquals(NOT_AUTHORIZED, device.publish("secret/cert", message("no permission")));
        device.close();

        MqttConnectionOptions unknown = Client.options(SecuredBroker.ADMIN, SecuredBroker.ADMIN_PASSWORD, true);
        unknown.setSocketFactory(SecuredBroker.deviceSockets("not-a-user"));
        Client stranger = Client.connect(SecuredBroker.tlsUri(), "cert-not-a-user", unknown);
        assertEquals(NOT_AUTHORIZED, stranger.publish("allowed/cert", message("the CONNECT user name does not count")));
        assertArrayEquals(new int[] {NOT_AUTHORIZED}, stranger.subscribe("allowed/#"));
        assertEquals(List.of(), stranger.arrivals.drain(QUIET), "not even the retained message");
        stranger.close();
    }

    /** A client repeating a refused publish costs one log line, not one per message. */
    @Test
    void aDenialIsLoggedOncePerClientAndTopic() throws Exception {
        Client device = Client.connect("denied-often", DEVICE, PASSWORD, true);
        for (int i = 0; i < 3; i++) {
            assertEquals(NOT_AUTHORIZED, device.publish("secret/often", message("again")));
        }
        assertEquals(NOT_AUTHORIZED, device.publish("readonly/often", message("another topic")));
        device.close();
        String secret = "mqtt client 'denied-often' (user 'device' from 127.0.0.1) may not publish to RocketMQ topic 'secret'";
        assertTrue(awaitLog(
                "mqtt client 'denied-often' (user 'device' from 127.0.0.1) may not publish to RocketMQ topic 'readonly'"),
            cluster.home().logTail("broker_default.log", 20));
        assertEquals(1, readLog().split(java.util.regex.Pattern.quote(secret), -1).length - 1);
    }

    private static MqttMessage message(String body) {
        MqttMessage message = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        return message;
    }

    private static Set<String> topics(List<Arrivals.Arrival> arrivals) {
        return arrivals.stream().map(Arrivals.Arrival::topic).collect(Collectors.toSet());
    }

    private static String uri() {
        return "tcp://127.0.0.1:" + TestBrokers.mqttPort(cluster);
    }

    private static org.eclipse.paho.client.mqttv3.MqttClient v3Client(String clientId) throws Exception {
        return new org.eclipse.paho.client.mqttv3.MqttClient(uri(), clientId,
            new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    }

    private static org.eclipse.paho.client.mqttv3.MqttConnectOptions v3Options(String user) {
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        options.setUserName(user);
        options.setPassword(PASSWORD.toCharArray());
        options.setConnectionTimeout(30);
        return options;
    }

    private static String readLog() throws Exception {
        Path log = cluster.home().logDir().resolve("broker_default.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Logging is asynchronous: give the line a moment to reach the file. */
    private static boolean awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (readLog().contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** A Paho v5 client whose acknowledgements are read as reason codes. */
    private record Client(MqttAsyncClient client, Arrivals arrivals, boolean sessionPresent) {

        /** Options for a clean or persistent session of {@code user}; no credentials when null. */
        static MqttConnectionOptions options(String user, String password, boolean cleanStart) {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(cleanStart);
            if (user != null) {
                options.setUserName(user);
                options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
            options.setConnectionTimeout(30);
            return options;
        }

        static Client connect(String clientId, String user, String password, boolean cleanStart) throws MqttException {
            return connect(clientId, options(user, password, cleanStart));
        }

        static Client connect(String clientId, MqttConnectionOptions options) throws MqttException {
            return connect(uri(), clientId, options);
        }

        static Client connect(String serverUri, String clientId, MqttConnectionOptions options) throws MqttException {
            MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
            Arrivals arrivals = new Arrivals();
            client.setCallback(arrivals);
            IMqttToken connected = client.connect(options);
            connected.waitForCompletion(WAIT_MILLIS);
            return new Client(client, arrivals, connected.getSessionPresent());
        }

        /** The reason code of the PUBACK. */
        int publish(String topic, MqttMessage message) throws MqttException {
            return reasonCodes(client.publish(topic, message))[0];
        }

        /** The reason codes of the SUBACK, one per filter, all asked with QoS 1. */
        int[] subscribe(String... filters) throws MqttException {
            MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
            for (int i = 0; i < filters.length; i++) {
                subscriptions[i] = new MqttSubscription(filters[i], 1);
            }
            return reasonCodes(client.subscribe(subscriptions));
        }

        private static int[] reasonCodes(IMqttToken token) throws MqttException {
            try {
                token.waitForCompletion(WAIT_MILLIS);
            } catch (MqttException refused) {
                if (token.getReasonCodes() == null) {
                    return new int[] {refused.getReasonCode()};
                }
            }
            return token.getReasonCodes();
        }

        void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MILLIS);
            }
            client.close();
        }
    }
}
