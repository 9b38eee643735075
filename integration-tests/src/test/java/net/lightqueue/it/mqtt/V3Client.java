package net.lightqueue.it.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.BrokerNode;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A Paho MQTT 3.1.1 client with what it received, whether it found a session, and how its connection was lost. */
final class V3Client implements MqttCallback {

    final MqttClient client;
    final Arrivals arrivals = new Arrivals();
    final CompletableFuture<Throwable> lost = new CompletableFuture<>();
    private final MqttConnectOptions options = new MqttConnectOptions();
    boolean sessionPresent;

    private V3Client(MqttClient client, boolean cleanSession) {
        this.client = client;
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setConnectionTimeout(30);
    }

    static V3Client connect(BrokerNode broker, String clientId) throws Exception {
        return connect(broker, clientId, true);
    }

    static V3Client connect(BrokerNode broker, String clientId, boolean cleanSession) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.mqttPort(), clientId, new MemoryPersistence());
        V3Client v3 = new V3Client(client, cleanSession);
        client.setCallback(v3);
        v3.reconnect();
        return v3;
    }

    /** Connects again with the same options and the same client state (its in-flight QoS 2 receipts). */
    void reconnect() throws MqttException {
        sessionPresent = client.connectWithResult(options).getSessionPresent();
    }

    void publish(String topic, String body, int qos) throws Exception {
        client.publish(topic, body.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost.complete(cause);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        arrivals.add(new Arrivals.Arrival(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
            message.isDuplicate(), message.isRetained()));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException ignored) {
            // the broker may have closed it already
        }
    }
}
