package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A Paho 3.1.1 client that subscribes to a topic and receives its own QoS 1 publish. */
final class RoundTrip {

    private static final long WAIT_SECONDS = 20;

    private RoundTrip() {
    }

    static void assertRoundTrip(String uri, MqttConnectOptions options, String clientId) throws Exception {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        try {
            client.connect(options);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            String topic = "transport/" + clientId;
            client.subscribe(topic, 1, (t, message) -> received.add(t + " " + new String(message.getPayload(),
                StandardCharsets.UTF_8)));
            client.publish(topic, "over the wire".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals(topic + " over the wire", received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            client.disconnect();
        } finally {
            client.close(true);
        }
    }
}
