package net.lightqueue.mqtt;

import net.lightqueue.host.config.InvalidSettingException;
import net.lightqueue.host.config.Setting;
import net.lightqueue.host.config.SettingsPrefix;
import net.lightqueue.host.config.ValidatedSettings;
import net.lightqueue.mqtt.session.ShareStrategy;

/** The MQTT server's broker.conf keys; each field name is the key, its initial value the default. */
@SettingsPrefix("mqtt")
public class MqttSettings implements ValidatedSettings {

    @Setting(description = "TCP port of the MQTT listener (0 picks a free port)", min = 0, max = 65535)
    int mqttListenPort = 1883;

    @Setting(description = "address the MQTT listener binds to")
    String mqttListenHost = "0.0.0.0";

    @Setting(description = "largest MQTT packet accepted, in bytes (whole packet); advertised to v5 clients",
        min = 64, max = 268_435_460)
    int mqttMaxPacketSize = 1024 * 1024;

    @Setting(description = "how many unacknowledged QoS 1/2 publishes a v5 client may send at once (Receive Maximum)",
        min = 1, max = 65535)
    int mqttReceiveMaximum = 100;

    @Setting(description = "how many QoS 1/2 messages the server sends to a v3 client before it waits for acks",
        min = 1, max = 65535)
    // A session refills its window only after acks come back, so one subscriber gets at most a
    // window per round trip: 32 capped a v3 subscriber at a few thousand messages/s under load.
    int mqttInflightWindowV3 = 1024;

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
    }

    public int listenPort() {
        return mqttListenPort;
    }

    public String listenHost() {
        return mqttListenHost;
    }

    public int maxPacketSize() {
        return mqttMaxPacketSize;
    }

    public int receiveMaximum() {
        return mqttReceiveMaximum;
    }

    public int inflightWindowV3() {
        return mqttInflightWindowV3;
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

    public ShareStrategy sharedSubscriptionStrategy() {
        return mqttSharedSubscriptionStrategy;
    }

    public int sysIntervalSeconds() {
        return mqttSysIntervalSeconds;
    }
}
