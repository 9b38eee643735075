package net.lightqueue.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.lightqueue.it.LocalCluster;
import net.lightqueue.it.MqttClients;
import net.lightqueue.it.TestBrokers;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

/**
 * The smoke subset against a real broker process with the release jar in lib/: MQTT clients
 * and RocketMQ clients see each other's messages.
 */
class MqttSmokeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void rocketMqConsumerReceivesMqttPublishesWithTheirMqttTopic() throws Exception {
        LocalCluster cluster = TestBrokers.shared();
        MqttClient publisher = MqttClients.connect(cluster, "smoke-publisher");
        List<String> published = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                MqttMessage message = new MqttMessage(("21." + i).getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                MqttProperties properties = new MqttProperties();
                properties.setUserProperties(List.of(new UserProperty("unit", "C")));
                message.setProperties(properties);
                publisher.publish("smokehome/kitchen/temp", message);
                published.add("21." + i);
            }
        } finally {
            publisher.disconnect();
            publisher.close();
        }

        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("smoke-consumer");
        consumer.setNamesrvAddr(cluster.namesrvAddress());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe("smokehome", "smokehome/kitchen/temp");
        consumer.start();
        List<MessageExt> received = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.size() < published.size() && System.nanoTime() < deadline) {
                received.addAll(consumer.poll(1000));
            }
        } finally {
            consumer.shutdown();
        }
        assertEquals(published, received.stream().map(m -> new String(m.getBody(), StandardCharsets.UTF_8)).toList(),
            "each MQTT publish once, in order, in the first-level topic\n" + cluster.diagnostics());
        MessageExt first = received.get(0);
        assertEquals("smokehome/kitchen/temp", first.getUserProperty("originMqttTopic"));
        assertEquals("smokehome/kitchen/temp", first.getTags(), "the tag is the MQTT topic");
        assertEquals("1", first.getUserProperty("mqttQos"));
        assertEquals("unit=C", first.getUserProperty("mqttUserProperties"));
    }

    @Test
    void mqttSubscriberReceivesWhatRocketMqProducersSend() throws Exception {
        LocalCluster cluster = TestBrokers.shared();
        BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        MqttClient subscriber = MqttClients.connect(cluster, "smoke-subscriber");
        try {
            subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("smokefeed/#", 1)},
                new IMqttMessageListener[] {(topic, message) ->
                    arrivals.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8))});
            DefaultMQProducer producer = new DefaultMQProducer("smoke-producer");
            producer.setNamesrvAddr(cluster.namesrvAddress());
            producer.start();
            try {
                Message plain = new Message("smokefeed", "plain".getBytes(StandardCharsets.UTF_8));
                assertEquals(SendStatus.SEND_OK, producer.send(plain).getSendStatus());
                Message addressed = new Message("smokefeed", "addressed".getBytes(StandardCharsets.UTF_8));
                addressed.putUserProperty("originMqttTopic", "smokefeed/line/7");
                assertEquals(SendStatus.SEND_OK, producer.send(addressed).getSendStatus());
            } finally {
                producer.shutdown();
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String arrival = arrivals.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(arrival, "got only " + got + "\n" + cluster.diagnostics());
                got.add(arrival);
            }
            assertEquals(List.of("smokefeed plain", "smokefeed/line/7 addressed"), got.stream().sorted().toList());
            assertEquals(null, arrivals.poll(1, TimeUnit.SECONDS), "nothing delivered twice");
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
    }
}
