package net.lightqueue.it.mqtt;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import net.lightqueue.host.testing.TestCertificates;
import net.lightqueue.it.FreePorts;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.TestBrokers;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * One broker process with the broker's ACL 2.0 on (authentication and authorization, the
 * default providers), shared by the tests of logging in and of permissions, and the admin
 * client that manages its users and ACLs as {@code mqadmin} does. Its TLS listener requires a
 * client certificate from the devices' authority and takes the certificate's CN as the user
 * ({@code mqttTlsClientAuth=require}, {@code mqttTlsCertAsUsername=true}).
 */
final class SecuredBroker {

    static final String ADMIN = "mqtt-admin";
    static final String ADMIN_PASSWORD = "s3cret-Passw0rd";

    private static LocalCluster cluster;
    private static DefaultMQAdminExt admin;
    private static Path certificates;
    private static TestCertificates.Identity server;
    private static TestCertificates.Identity deviceAuthority;
    private static int tlsPort;

    private SecuredBroker() {
    }

    static synchronized LocalCluster cluster() throws IOException, InterruptedException {
        if (cluster == null) {
            certificates = TestBrokers.newWorkDir("secured-certificates");
            try {
                server = TestCertificates.create(certificates, "localhost");
                deviceAuthority = TestCertificates.authority(certificates, "device-ca");
                server.writePem(certificates.resolve("server.pem"), certificates.resolve("server.key"));
                deviceAuthority.writeCertificatePem(certificates.resolve("device-ca.pem"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test certificates", e);
            }
            tlsPort = FreePorts.one();
            Map<String, String> conf = new HashMap<>(Map.of(
                "authenticationEnabled", "true",
                "authenticationProvider", "org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider",
                "authenticationMetadataProvider",
                "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider",
                "authorizationEnabled", "true",
                "authorizationProvider", "org.apache.rocketmq.auth.authorization.provider.DefaultAuthorizationProvider",
                "authorizationMetadataProvider",
                "org.apache.rocketmq.auth.authorization.provider.LocalAuthorizationMetadataProvider",
                "initAuthenticationUser", "{\"username\":\"" + ADMIN + "\",\"password\":\"" + ADMIN_PASSWORD + "\"}",
                "innerClientAuthenticationCredentials",
                "{\"accessKey\":\"" + ADMIN + "\",\"secretKey\":\"" + ADMIN_PASSWORD + "\"}"));
            conf.putAll(Map.of("mqttTlsPort", String.valueOf(tlsPort),
                "mqttTlsCertFile", certificates.resolve("server.pem").toString(),
                "mqttTlsKeyFile", certificates.resolve("server.key").toString(),
                "mqttTlsClientAuth", "require", "mqttTlsTrustCertFile", certificates.resolve("device-ca.pem").toString(),
                "mqttTlsCertAsUsername", "true"));
            LocalCluster started = TestBrokers.newCluster("secured", conf);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (admin != null) {
                    admin.shutdown();
                }
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            started.start();
            cluster = started;
        }
        return cluster;
    }

    /** The TLS listener, where a client's certificate is its identity. */
    static String tlsUri() throws IOException, InterruptedException {
        cluster();
        return "ssl://127.0.0.1:" + tlsPort;
    }

    /**
     * Sockets to the TLS listener that trust its certificate and present a certificate for
     * CN={@code commonName} from the devices' authority, or none when {@code commonName} is null.
     */
    static SSLSocketFactory deviceSockets(String commonName) throws Exception {
        cluster();
        TestCertificates.Identity device = commonName == null ? null
            : TestCertificates.issue(TestBrokers.newWorkDir("device-" + commonName), commonName, deviceAuthority);
        return TestCertificates.clientContext(device, server.certificate()).getSocketFactory();
    }

    /** Creates a normal (not super) user: it may do only what its ACL allows. */
    static void createUser(String username, String password) throws Exception {
        admin().createUser(cluster().brokerAddress(), username, password, "Normal");
    }

    /** Gives the user {@code actions} ("Pub", "Sub") on each resource ("Topic:name", "Topic:*"). */
    static void allow(String username, List<String> resources, List<String> actions) throws Exception {
        admin().createAcl(cluster().brokerAddress(), "User:" + username, resources, actions, null, "Allow");
    }

    /** Adds or replaces the user's policy for these resources (the user already has an ACL). */
    static void allowMore(String username, List<String> resources, List<String> actions) throws Exception {
        admin().updateAcl(cluster().brokerAddress(), "User:" + username, resources, actions, null, "Allow");
    }

    /** Removes what the user may do on the resource. */
    static void revoke(String username, String resource) throws Exception {
        admin().deleteAcl(cluster().brokerAddress(), "User:" + username, resource);
    }

    private static synchronized DefaultMQAdminExt admin() throws Exception {
        if (admin == null) {
            DefaultMQAdminExt client = new DefaultMQAdminExt(
                new AclClientRPCHook(new SessionCredentials(ADMIN, ADMIN_PASSWORD)), 30_000);
            client.setNamesrvAddr(cluster().namesrvAddress());
            client.setInstanceName("acl-admin");
            client.start();
            admin = client;
        }
        return admin;
    }
}
