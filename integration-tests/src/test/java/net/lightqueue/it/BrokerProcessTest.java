package net.lightqueue.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** A real broker process with our release jar in lib/, as an operator installs it. */
class BrokerProcessTest {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void runsThePluginLifecycleWithTheBroker() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("lifecycle", Map.of())) {
            cluster.start();
            String log = readLog(cluster);
            assertTrue(log.contains("plugin 'mqtt' loaded"), cluster.diagnostics());
            assertTrue(log.contains("plugin 'mqtt' started"), cluster.diagnostics());
            assertTrue(log.indexOf("plugin 'mqtt' loaded") < log.indexOf("plugin 'mqtt' started"));

            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (the broker's stops the store).
            assertEquals(143, cluster.stopBroker(), "a graceful stop through the shutdown hook");
            assertTrue(awaitLog(cluster, "plugin 'mqtt' stopped"), cluster.diagnostics());
        }
    }

    @Test
    void failsTheStartOnAnInvalidPluginSetting() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("bad-value", Map.of("mqttListenPort", "18a3"))) {
            ServerProcess broker = cluster.launchBroker();
            assertNotEquals(0, broker.awaitExit(EXIT_TIMEOUT));
            assertTrue(broker.consoleTail(50).contains(
                "plugin 'mqtt' failed to read its settings from broker.conf: "
                    + "mqttListenPort=18a3 is invalid: expected an integer"),
                broker.consoleTail(50));
        }
    }

    @Test
    void failsTheStartOnAMisspelledPluginKey() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("typo", Map.of("mqttListenPrt", "1883"))) {
            ServerProcess broker = cluster.launchBroker();
            assertNotEquals(0, broker.awaitExit(EXIT_TIMEOUT));
            assertTrue(broker.consoleTail(50).contains("unknown setting mqttListenPrt (did you mean mqttListenPort?)"),
                broker.consoleTail(50));
        }
    }

    @Test
    void startsWithTheHostAloneAndSaysNoPluginWasFound() throws Exception {
        BrokerHome home = BrokerHome.create(TestBrokers.newWorkDir("host-only"),
            TestBrokers.brokerLib(), TestBrokers.pluginApiJar());
        try (LocalCluster cluster = LocalCluster.prepare(home, Map.of())) {
            cluster.start();
            assertTrue(readLog(cluster).contains("no broker plugin found on the classpath"), cluster.diagnostics());
        }
    }

    @Test
    void plainRocketMqProducerAndConsumerStillWork() throws Exception {
        LocalCluster cluster = TestBrokers.shared();
        String topic = "PlainTopic";
        DefaultMQProducer producer = new DefaultMQProducer("it-plain-producer");
        producer.setNamesrvAddr(cluster.namesrvAddress());
        producer.start();
        List<String> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String body = "message-" + i;
                SendResult result = producer.send(new Message(topic, "tag", body.getBytes(StandardCharsets.UTF_8)),
                    (queues, msg, arg) -> queues.get(0), null);
                assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                sent.add(body);
            }
        } finally {
            producer.shutdown();
        }

        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("it-plain-consumer");
        consumer.setNamesrvAddr(cluster.namesrvAddress());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.start();
        List<String> received = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (MessageExt message : consumer.poll(1000)) {
                    received.add(new String(message.getBody(), StandardCharsets.UTF_8));
                }
            }
        } finally {
            consumer.shutdown();
        }
        assertEquals(sent, received, "every message once, in order");
    }

    private static String readLog(LocalCluster cluster) throws Exception {
        Path log = cluster.home().logDir().resolve("broker_default.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Logging is asynchronous: give the last lines a moment to reach the file. */
    private static boolean awaitLog(LocalCluster cluster, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (readLog(cluster).contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
