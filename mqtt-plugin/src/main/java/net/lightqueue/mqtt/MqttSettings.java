package net.lightqueue.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import net.lightqueue.host.config.InvalidSettingException;
import net.lightqueue.host.config.Setting;
import net.lightqueue.host.config.SettingsPrefix;
import net.lightqueue.host.config.ValidatedSettings;
import net.lightqueue.mqtt.listener.ClientAuthMode;
import net.lightqueue.mqtt.shared.ShareStrategy;

/** The MQTT server's broker.conf keys; each field name is the key, its initial value the default. */
@SettingsPrefix("mqtt")
public class MqttSettings implements ValidatedSettings {

    @Setting(description = "TCP port of the MQTT listener (0 picks a free port)", min = 0, max = 65535)
    int mqttListenPort = 1883;

    @Setting(description = "address the MQTT listener binds to")
    String mqttListenHost = "0.0.0.0";

    @Setting(description = "TLS port of the MQTT listener (MQTT over TLS, usually 8883); 0 = off", min = 0, max = 65535)
    int mqttTlsPort = 0;

    @Setting(description = "port of the MQTT over WebSocket listener (usually 8083); 0 = off", min = 0, max = 65535)
    int mqttWsPort = 0;

    @Setting(description = "port of the MQTT over secure WebSocket listener (usually 8084; uses the mqttTls* "
        + "certificate); 0 = off", min = 0, max = 65535)
    int mqttWssPort = 0;

    @Setting(description = "HTTP path of the WebSocket endpoint")
    String mqttWsPath = "/mqtt";

    @Setting(description = "server certificate chain, PEM file (needed by mqttTlsPort and mqttWssPort)")
    String mqttTlsCertFile = "";

    @Setting(description = "private key of the server certificate, PKCS#8 PEM file")
    String mqttTlsKeyFile = "";

    @Setting(description = "password of mqttTlsKeyFile if the key is encrypted")
    String mqttTlsKeyPassword = "";

    @Setting(description = "CA certificates client certificates are checked against, PEM file; empty = the JDK's")
    String mqttTlsTrustCertFile = "";

    @Setting(description = "whether TLS clients present a certificate: none, optional (checked if presented) "
        + "or require")
    ClientAuthMode mqttTlsClientAuth = ClientAuthMode.NONE;

    @Setting(description = "whether the subject CN of a TLS client's certificate is its user name: the verified "
        + "certificate replaces the CONNECT user name and password, a TLS client without one is refused "
        + "(needs mqttTlsClientAuth optional or require; plain TCP and ws connections are not affected)")
    boolean mqttTlsCertAsUsername = false;

    @Setting(description = "whether every listener expects a PROXY protocol v1/v2 header (from a load balancer) "
        + "and uses the client address it carries")
    boolean mqttProxyProtocol = false;

    @Setting(description = "largest MQTT packet accepted, in bytes (whole packet); advertised to v5 clients",
        min = 64, max = 268_435_460)
    int mqttMaxPacketSize = 1024 * 1024;

    @Setting(description = "how many unacknowledged QoS 1/2 publishes a v5 client may send at once (Receive Maximum)",
        min = 1, max = 65535)
    int mqttReceiveMaximum = 100;

    @Setting(description = "how many QoS 1/2 messages the server sends to a client before it waits for acks "
        + "(to a v5 client at most its Receive Maximum)", min = 1, max = 65535)
    // A session refills its window only after acks come back, so one subscriber gets at most a
    // window per round trip: 32 capped a subscriber at a few thousand messages/s under load. The
    // bound matters for v5 too: a session's progress records and its held messages grow with it.
    int mqttInflightWindow = 1024;

    @Setting(description = "largest keep alive a client may ask for, in seconds; larger requests are capped "
        + "(v5 clients are told through Server Keep Alive, v3 clients are held to it silently); 0 = no cap",
        min = 0, max = 65535)
    int mqttKeepAliveMaxSeconds = 0;

    @Setting(description = "keep alive the server imposes on every v5 client, in seconds (Server Keep Alive); "
        + "0 = use the client's", min = 0, max = 65535)
    int mqttServerKeepAlive = 0;

    @Setting(description = "seconds a new connection has to send its CONNECT before it is closed",
        min = 1, max = 3600)
    int mqttConnectTimeoutSeconds = 10;

    @Setting(description = "whether clients without credentials may connect when broker authentication is off")
    boolean mqttAllowAnonymous = true;

    @Setting(description = "how many topic aliases a v5 client may use towards the server (Topic Alias Maximum)",
        min = 0, max = 65535)
    int mqttTopicAliasMaximum = 16;

    @Setting(description = "whether publishing to a first-level topic that does not exist creates the RocketMQ "
        + "topic (with the broker's defaultTopicQueueNums queues)")
    boolean mqttAutoCreateTopics = true;

    @Setting(description = "longest MQTT topic name or filter accepted, in UTF-8 bytes", min = 1, max = 65535)
    int mqttMaxTopicLength = 1024;

    @Setting(description = "longest client identifier accepted, in characters", min = 23, max = 65535)
    int mqttMaxClientIdLength = 256;

    @Setting(description = "event loop threads serving MQTT connections; 0 = number of CPUs",
        min = 0, max = 1024)
    int mqttIoThreads = 0;

    @Setting(description = "messages a subscription reads from its light queue per batch", min = 1, max = 4096)
    int mqttDeliveryBatchSize = 64;

    @Setting(description = "longest session expiry a client gets, in seconds; longer requests are capped and v5 "
        + "clients are told; 4294967295 = sessions may never expire", min = 0, max = 4_294_967_295L)
    long mqttMaxSessionExpirySeconds = 172_800;

    @Setting(description = "session expiry of v3 clients that connect with clean session 0, in seconds "
        + "(capped by mqttMaxSessionExpirySeconds)", min = 0, max = 4_294_967_295L)
    long mqttV3SessionExpirySeconds = 172_800;

    @Setting(description = "most sessions (connected or waiting for their client) the broker keeps; a new client id "
        + "beyond it is refused (v5 0x97, v3 0x03)", min = 1, max = Integer.MAX_VALUE)
    int mqttMaxSessions = 1_000_000;

    @Setting(description = "a persistent session records its progress after this many completed deliveries",
        min = 1, max = 65535)
    int mqttProgressBatchSize = 100;

    @Setting(description = "a persistent session records its progress at the latest this many ms after a delivery",
        min = 10, max = 60_000)
    long mqttProgressIntervalMs = 1_000;

    @Setting(description = "how long a call to another broker group of the cluster may take (reads of its queues, "
        + "subscriptions, session moves) before it counts as unreachable", min = 100, max = 60_000)
    long mqttPeerTimeoutMs = 3_000;

    @Setting(description = "whether another broker group's queues are read from its slave while that group's master "
        + "is away or does not answer (the slave holds the same queues; progress waits for the master)")
    boolean mqttPeerSlaveReads = true;

    @Setting(description = "publish the $SYS/broker/... topics every this many seconds; 0 = never", min = 0,
        max = 86_400)
    int mqttSysIntervalSeconds = 10;

    @Setting(description = "how a shared subscription's group ($share/{group}/{filter}) spreads messages over its "
        + "members: round_robin, or sticky (all to one member while it stays)")
    ShareStrategy mqttSharedSubscriptionStrategy = ShareStrategy.ROUND_ROBIN;

    @Override
    public void validate() {
        if (mqttListenHost.isBlank()) {
            throw InvalidSettingException.of("mqttListenHost", mqttListenHost, "expected a host name or address");
        }
        if (!mqttWsPath.startsWith("/")) {
            throw InvalidSettingException.of("mqttWsPath", mqttWsPath, "expected a path starting with /");
        }
        if (mqttTlsCertAsUsername && mqttTlsClientAuth == ClientAuthMode.NONE) {
            throw InvalidSettingException.of("mqttTlsCertAsUsername", "true",
                "needs mqttTlsClientAuth=optional or require: with none no client presents a certificate");
        }
        if (tlsUsed()) {
            requireReadableFile("mqttTlsCertFile", mqttTlsCertFile);
            requireReadableFile("mqttTlsKeyFile", mqttTlsKeyFile);
            if (!mqttTlsTrustCertFile.isEmpty()) {
                requireReadableFile("mqttTlsTrustCertFile", mqttTlsTrustCertFile);
            }
        }
    }

    private boolean tlsUsed() {
        return mqttTlsPort != 0 || mqttWssPort != 0;
    }

    private static void requireReadableFile(String key, String path) {
        if (path.isEmpty()) {
            throw InvalidSettingException.of(key, path, "mqttTlsPort or mqttWssPort is set, so a PEM file is needed");
        }
        if (!Files.isReadable(Path.of(path))) {
            throw InvalidSettingException.of(key, path, "expected a readable PEM file");
        }
    }

    public int listenPort() {
        return mqttListenPort;
    }

    public String listenHost() {
        return mqttListenHost;
    }

    public int tlsPort() {
        return mqttTlsPort;
    }

    public int wsPort() {
        return mqttWsPort;
    }

    public int wssPort() {
        return mqttWssPort;
    }

    public String wsPath() {
        return mqttWsPath;
    }

    public Path tlsCertFile() {
        return Path.of(mqttTlsCertFile);
    }

    public Path tlsKeyFile() {
        return Path.of(mqttTlsKeyFile);
    }

    /** @return the key's password, or null when the key is not encrypted */
    public String tlsKeyPassword() {
        return mqttTlsKeyPassword.isEmpty() ? null : mqttTlsKeyPassword;
    }

    /** @return the CA file for client certificates, or null for the JDK's trusted CAs */
    public Path tlsTrustCertFile() {
        return mqttTlsTrustCertFile.isEmpty() ? null : Path.of(mqttTlsTrustCertFile);
    }

    public ClientAuthMode tlsClientAuth() {
        return mqttTlsClientAuth;
    }

    public boolean tlsCertAsUsername() {
        return mqttTlsCertAsUsername;
    }

    public boolean proxyProtocol() {
        return mqttProxyProtocol;
    }

    public int maxPacketSize() {
        return mqttMaxPacketSize;
    }

    public int receiveMaximum() {
        return mqttReceiveMaximum;
    }

    public int inflightWindow() {
        return mqttInflightWindow;
    }

    public int keepAliveMaxSeconds() {
        return mqttKeepAliveMaxSeconds;
    }

    public int serverKeepAlive() {
        return mqttServerKeepAlive;
    }

    public int connectTimeoutSeconds() {
        return mqttConnectTimeoutSeconds;
    }

    public boolean allowAnonymous() {
        return mqttAllowAnonymous;
    }

    public int topicAliasMaximum() {
        return mqttTopicAliasMaximum;
    }

    public boolean autoCreateTopics() {
        return mqttAutoCreateTopics;
    }

    public int maxTopicLength() {
        return mqttMaxTopicLength;
    }

    public int maxClientIdLength() {
        return mqttMaxClientIdLength;
    }

    public int ioThreads() {
        return mqttIoThreads;
    }

    public int deliveryBatchSize() {
        return mqttDeliveryBatchSize;
    }

    public long maxSessionExpirySeconds() {
        return mqttMaxSessionExpirySeconds;
    }

    /** The session expiry a client gets for the one it asked for. */
    public long cappedSessionExpiry(long requestedSeconds) {
        return Math.min(requestedSeconds, mqttMaxSessionExpirySeconds);
    }

    public long v3SessionExpirySeconds() {
        return cappedSessionExpiry(mqttV3SessionExpirySeconds);
    }

    public int maxSessions() {
        return mqttMaxSessions;
    }

    public int progressBatchSize() {
        return mqttProgressBatchSize;
    }

    public long progressIntervalMs() {
        return mqttProgressIntervalMs;
    }

    public long peerTimeoutMs() {
        return mqttPeerTimeoutMs;
    }

    public boolean peerSlaveReads() {
        return mqttPeerSlaveReads;
    }

    public ShareStrategy sharedSubscriptionStrategy() {
        return mqttSharedSubscriptionStrategy;
    }

    public int sysIntervalSeconds() {
        return mqttSysIntervalSeconds;
    }
}
