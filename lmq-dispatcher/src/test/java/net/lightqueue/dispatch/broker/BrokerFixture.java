package net.lightqueue.dispatch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.spi.BrokerPlugin;
import net.lightqueue.host.testing.InProcessBroker;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.store.PutMessageResult;

/** An in-process broker running the dispatcher, with the puts and reads the tests need. */
final class BrokerFixture implements AutoCloseable {

    private final InProcessBroker broker;
    final DispatcherPlugin plugin;

    private BrokerFixture(InProcessBroker broker, DispatcherPlugin plugin) {
        this.broker = broker;
        this.plugin = plugin;
    }

    static BrokerFixture start(Path storeRoot) throws Exception {
        return start(storeRoot, new Properties());
    }

    /** @param settings broker.conf keys, e.g. the dispatcher's mqttIndex* settings */
    static BrokerFixture start(Path storeRoot, Properties settings) throws Exception {
        DispatcherPlugin.INSTANCES.clear();
        InProcessBroker broker = InProcessBroker.start(storeRoot, settings);
        return new BrokerFixture(broker, DispatcherPlugin.INSTANCES.get(0));
    }

    LightQueueDispatcher queues() {
        return plugin.dispatcher;
    }

    List<String> plugins() {
        return broker.host().plugins().stream().map(BrokerPlugin::name).toList();
    }

    /** Puts an MQTT publication: RocketMQ topic = first level, the MQTT topic in originMqttTopic. */
    long publish(String rocketmqTopic, String mqttTopic, String body) {
        MessageExtBrokerInner message = message(rocketmqTopic, body);
        message.putUserProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC, mqttTopic);
        return put(message);
    }

    static MessageExtBrokerInner message(String rocketmqTopic, String body) {
        MessageExtBrokerInner message = new MessageExtBrokerInner();
        message.setTopic(rocketmqTopic);
        message.setQueueId(0);
        message.setBody(body.getBytes(StandardCharsets.UTF_8));
        // As a RocketMQ producer does: the broker's put hooks expect properties.
        message.setTags("test");
        message.setBornTimestamp(System.currentTimeMillis());
        message.setBornHost(new InetSocketAddress("127.0.0.1", 1));
        message.setStoreHost(new InetSocketAddress("127.0.0.1", 2));
        return message;
    }

    /** Puts through the outermost store; returns the commitlog offset. */
    long put(MessageExtBrokerInner message) {
        message.setPropertiesString(MessageDecoder.messageProperties2String(message.getProperties()));
        PutMessageResult result = broker.host().putMessage(message);
        assertTrue(result.isOk(), "put failed: " + result);
        return result.getAppendMessageResult().getWroteOffset();
    }

    /**
     * Cuts the commitlog at {@code offset}, as the broker does when a master that was cut off
     * rejoins its group as a slave; the broker then dispatches again from there.
     */
    void truncateCommitLog(long offset) throws Exception {
        assertTrue(broker.controller().getMessageStore().truncateFiles(offset), "truncate at " + offset);
    }

    /** Waits until the index covers everything in the commitlog. */
    void awaitIndexed() throws InterruptedException {
        long end = broker.controller().getMessageStore().getMaxPhyOffset();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (queues().indexedUpTo() < end && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(queues().indexedUpTo() >= end, "indexed up to " + queues().indexedUpTo() + " of " + end);
    }

    /** Every message of the filter's queue, read in small batches. */
    List<StoredMessage> readAll(String filter) {
        List<StoredMessage> all = new ArrayList<>();
        long offset = 0;
        while (offset < queues().maxOffset(filter)) {
            ReadResult result = queues().read(filter, offset, 7);
            assertEquals(0, result.skipped());
            all.addAll(result.messages());
            offset = result.nextOffset();
        }
        return all;
    }

    /** The commitlog offsets in each filter's queue: what must survive restarts unchanged. */
    Map<String, List<Long>> snapshot(Collection<String> filters) {
        Map<String, List<Long>> state = new TreeMap<>();
        for (String filter : filters) {
            state.put(filter, readAll(filter).stream().map(StoredMessage::commitLogOffset).toList());
        }
        return state;
    }

    /** Deletes the dispatcher's index of a stopped broker: the next start rebuilds it from the commitlog. */
    /** Zeroes a stopped broker's commitlog from {@code offset} on (it has one file): its recovery ends it there. */
    static void zeroCommitLogFrom(Path storeRoot, long offset) throws IOException {
        try (Stream<Path> files = Files.list(storeRoot.resolve("commitlog"))) {
            Path first = files.sorted().findFirst().orElseThrow();
            try (FileChannel file = FileChannel.open(first, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                for (long position = offset; position < file.size(); position += zeros.capacity()) {
                    file.write(zeros.clear().limit((int) Math.min(zeros.capacity(), file.size() - position)), position);
                }
                file.force(true);
            }
        }
    }

    static void deleteIndex(Path storeRoot) throws IOException {
        try (Stream<Path> paths = Files.walk(storeRoot.resolve("mqtt").resolve("index"))) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
