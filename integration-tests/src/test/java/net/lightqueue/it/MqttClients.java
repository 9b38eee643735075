package net.lightqueue.it;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** Paho v5 clients against a cluster's master (or one group's), for tests that only need to drive traffic. */
public final class MqttClients {

    private MqttClients() {
    }

    /** A connected clean-start client of the cluster's master. */
    public static MqttClient connect(LocalCluster cluster, String clientId) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        return connect(cluster, clientId, options, null);
    }

    /** A client of the cluster's master connected with {@code options}; {@code callback} may be null. */
    public static MqttClient connect(LocalCluster cluster, String clientId, MqttConnectionOptions options,
        MqttCallback callback) throws MqttException {
        return connect(cluster.master(), clientId, options, callback);
    }

    /** A client of {@code broker} (e.g. one group's master) connected with {@code options}; {@code callback} may be null. */
    public static MqttClient connect(BrokerNode broker, String clientId, MqttConnectionOptions options,
        MqttCallback callback) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.mqttPort(), clientId, new MemoryPersistence());
        if (callback != null) {
            client.setCallback(callback);
        }
        options.setConnectionTimeout(30);
        client.connect(options);
        return client;
    }

    /** Options of a persistent MQTT 5 session (clean start 0) that expires after {@code expirySeconds}. */
    public static MqttConnectionOptions persistentSession(long expirySeconds) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(expirySeconds);
        return options;
    }

    public static MqttMessage qos1(String body) {
        MqttMessage message = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        return message;
    }

    public static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException ignored) {
            // the broker may be gone already; the test checks what matters
        }
    }
}
