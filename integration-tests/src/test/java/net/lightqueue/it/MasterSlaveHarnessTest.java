package net.lightqueue.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/** The harness runs a slave that replicates the master's commitlog, both with the plugin loaded. */
class MasterSlaveHarnessTest {

    @Test
    void slaveReplicatesTheMastersCommitlog() throws Exception {
        try (LocalCluster cluster = TestBrokers.newCluster("ha", Map.of())) {
            BrokerNode slave = cluster.addSlave(TestBrokers.newHome("ha-slave"),
                Map.of("mqttListenPort", String.valueOf(FreePorts.one())));
            cluster.start();
            slave.start();

            DefaultMQProducer producer = new DefaultMQProducer("it-ha-producer");
            producer.setNamesrvAddr(cluster.namesrvAddress());
            producer.start();
            try {
                for (int i = 0; i < 10; i++) {
                    assertEquals(SendStatus.SEND_OK, producer.send(
                        new Message("HaTopic", ("m" + i).getBytes(StandardCharsets.UTF_8))).getSendStatus());
                }
            } finally {
                producer.shutdown();
            }
            Path masterLog = cluster.master().home().store().resolve("commitlog");
            Path slaveLog = slave.home().store().resolve("commitlog");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!contains(slaveLog, "m9") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(contains(masterLog, "m9"), cluster.diagnostics());
            assertTrue(contains(slaveLog, "m9"), "the slave's commitlog holds the master's messages\n" + cluster.diagnostics());
        }
    }

    /** Whether the first commitlog file holds the given body bytes. */
    private static boolean contains(Path commitlogDir, String body) throws Exception {
        Path first = commitlogDir.resolve("00000000000000000000");
        if (!Files.exists(first)) {
            return false;
        }
        try (var channel = java.nio.channels.FileChannel.open(first)) {
            var buffer = java.nio.ByteBuffer.allocate(1 << 20);
            channel.read(buffer);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1).contains(body);
        }
    }
}
