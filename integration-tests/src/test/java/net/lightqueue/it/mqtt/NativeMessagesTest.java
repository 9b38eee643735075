package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.lightqueue.it.Arrivals;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * Messages at the border between RocketMQ clients and MQTT clients that a well-behaved MQTT
 * publisher never makes: MQTT properties set by hand by a RocketMQ producer, and zero-length
 * payloads, which RocketMQ producers cannot send but MQTT publishers can.
 */
class NativeMessagesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void malformedMqttPropertiesFromARocketMqProducerNeverHoldUpASubscription() throws Exception {
        LocalCluster cluster = TestBrokers.shared();
        Map<String, Map<String, String>> sent = new LinkedHashMap<>();
        sent.put("qos", Map.of("mqttQos", "high"));
        sent.put("expiry", Map.of("mqttMessageExpiryInterval", "soon"));
        sent.put("user", Map.of("mqttUserProperties", "novalue&k=v%zz"));
        sent.put("correlation", Map.of("mqttCorrelationData", "not base64!"));
        sent.put("content", Map.of("mqttContentType", "100%"));
        sent.put("format", Map.of("mqttPayloadFormat", "text"));
        sent.put("client", Map.of("mqttClientId", "%", "mqttQos", "2"));
        sent.put("good", Map.of());

        Arrivals arrivals = new Arrivals();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        MqttClient subscriber = MqttClients.connect(cluster, "native-malformed", options, arrivals);
        try {
            subscriber.subscribe("nativebad/#", 2);
            DefaultMQProducer producer = new DefaultMQProducer("native-malformed-producer");
            producer.setNamesrvAddr(cluster.namesrvAddress());
            producer.start();
            try {
                for (Map.Entry<String, Map<String, String>> message : sent.entrySet()) {
                    Message rocketmq = new Message("nativebad", message.getKey().getBytes(StandardCharsets.UTF_8));
                    message.getValue().forEach(rocketmq::putUserProperty);
                    assertEquals(SendStatus.SEND_OK, producer.send(rocketmq).getSendStatus());
                }
            } finally {
                producer.shutdown();
            }
            List<String> expected = new ArrayList<>(sent.keySet());
            assertEquals(expected, bodies(arrivals.await(expected.size(), WAIT)),
                "each message once, in order, read leniently\n" + cluster.diagnostics());
            assertEquals(List.of(), bodies(arrivals.drain(Duration.ofSeconds(1))), "nothing twice");

            subscriber.publish("nativebad/after", MqttClients.qos1("after"));
            assertEquals(List.of("after"), bodies(arrivals.await(1, WAIT)), "the subscription still flows");
        } finally {
            MqttClients.closeQuietly(subscriber);
        }
    }

    @Test
    void aRocketMqConsumerReadsAZeroLengthMqttPublish() throws Exception {
        LocalCluster cluster = TestBrokers.shared();
        MqttClient publisher = MqttClients.connect(cluster, "native-empty-publisher");
        try {
            publisher.publish("nativeempty/t", new MqttMessage(new byte[0], 1, false, null));
            publisher.publish("nativeempty/t", MqttClients.qos1("after"));
        } finally {
            MqttClients.closeQuietly(publisher);
        }
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("native-empty-consumer");
        consumer.setNamesrvAddr(cluster.namesrvAddress());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe("nativeempty", "*");
        consumer.start();
        List<MessageExt> received = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.size() < 2 && System.nanoTime() < deadline) {
                received.addAll(consumer.poll(1000));
            }
        } finally {
            consumer.shutdown();
        }
        // The RocketMQ client decodes a zero-length body as null.
        assertEquals(List.of("", "after"), received.stream()
            .map(m -> m.getBody() == null ? "" : new String(m.getBody(), StandardCharsets.UTF_8)).toList(),
            cluster.diagnostics());
        assertEquals("nativeempty/t", received.get(0).getUserProperty("originMqttTopic"));
    }

    private static List<String> bodies(List<Arrivals.Arrival> arrivals) {
        return arrivals.stream().map(Arrivals.Arrival::body).toList();
    }
}
