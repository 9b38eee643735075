package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Memory stays bounded when subscribers cannot keep up: what the broker holds after GC, heap and
 * network buffers, grows by about a write buffer per stalled connection, not by what it is owed.
 * The read cache is kept small so that what it holds by design does not hide what leaks; held
 * by message count alone, it would keep every message these tests publish.
 */
class MemoryPressureTest {

    private static final long MIB = 1 << 20;
    private static final long WAIT_SECONDS = 300;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("mqttIndexReadCacheMb=4", "mqttMaxPacketSize=2097152"); // 1 MiB payloads

    /**
     * A v5 client that records the sequence numbers arriving, and can stop taking them. Payloads
     * start with their sequence number and the {@link System#nanoTime} they were published at.
     */
    static final class Subscriber extends MessageCallback implements AutoCloseable {
        final MqttAsyncClient client;
        final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        /** Microseconds from publishing to arrival. */
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch reading;

        /** @param reading held closed, the client stops reading its socket once Paho's inbound queue is full */
        Subscriber(String clientId, String filter, CountDownLatch reading) throws MqttException {
            this.reading = reading;
            client = new MqttAsyncClient(broker.uri(), clientId, new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion();
            client.subscribe(filter, 1).waitForCompletion();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            reading.await();
            ByteBuffer payload = ByteBuffer.wrap(message.getPayload());
            received.add(payload.getInt());
            latencies.add((System.nanoTime() - payload.getLong()) / 1_000);
        }

        void awaitCount(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (received.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(count, received.size(), "messages received");
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion();
            client.close();
        }
    }

    /**
     * Wakes of a subscriber whose QoS 1 window (65,535) would take the whole backlog stop at the
     * channel's writability, and resume when the client reads again: nothing is lost or repeated.
     */
    @Test
    void aStalledSubscriberWithAnOpenWindowHoldsOnlyItsWriteBuffer() throws Exception {
        int count = 256;
        int payloadBytes = 256 * 1024; // 64 MiB owed to the stalled subscriber
        CountDownLatch stalled = new CountDownLatch(1);
        try (Subscriber slow = new Subscriber("stalled", "pressure/wake", stalled);
             Subscriber bystander = new Subscriber("bystander", "pressure/wake", new CountDownLatch(0));
             Publisher publisher = new Publisher("wake-publisher")) {
            fillWhatIsKeptByDesign(publisher, payloadBytes);
            MemoryInUse before = MemoryInUse.now();
            for (int i = 0; i < count; i++) {
                publisher.publish("pressure/wake", i, payloadBytes);
            }
            bystander.awaitCount(count); // by now every wake of the stalled one had its chance
            assertFlatWhileStalledThenComplete("stalled subscriber", before, stalled, slow, bystander, count,
                payloadBytes);
        }
    }

    /**
     * Sends 32 MiB of large messages to a reader of another topic, so that what the broker keeps
     * whoever reads (the shared copies of large payloads, 16 MiB, and the read cache) is full
     * before a test takes its baseline, and only what stalling adds is measured after it.
     */
    private static void fillWhatIsKeptByDesign(Publisher publisher, int payloadBytes) throws Exception {
        int messages = (32 << 20) / payloadBytes;
        try (Subscriber reader = new Subscriber("fill-reader", "pressure/fill", new CountDownLatch(0))) {
            for (int i = 0; i < messages; i++) {
                publisher.publish("pressure/fill", i, payloadBytes);
            }
            reader.awaitCount(messages);
        }
    }

    /**
     * A {@code #}-style lookup over 80 MiB of retained messages is read a page at a time as the
     * subscriber takes them: a stalled subscriber holds a page, not the lookup, and once it reads
     * again it gets every retained message once, in topic order.
     */
    @Test
    void aWildcardLookupOverManyRetainedMessagesIsReadInPages() throws Exception {
        int count = 20_000;
        int payloadBytes = 4 * 1024;
        long retainedBefore = broker.queues().retainedCount();
        try (RawClient publisher = new RawClient(broker.port())) {
            Packets.assertConnAck(publisher.connected(MqttVersion.MQTT_3_1_1, "retained-publisher"), 0);
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[payloadBytes];
                ByteBuffer.wrap(payload).putInt(i).putLong(System.nanoTime());
                publisher.send(MqttMessageBuilders.publish().topicName(retainedTopic(i)).retained(true)
                    .qos(MqttQoS.AT_MOST_ONCE).payload(Unpooled.wrappedBuffer(payload)).build());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (broker.queues().retainedCount() < retainedBefore + count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(retainedBefore + count, broker.queues().retainedCount(), "retained messages indexed");
        CountDownLatch stalled = new CountDownLatch(1);
        MemoryInUse before = MemoryInUse.now();
        try (Subscriber slow = new Subscriber("retained-stalled", "pressure/retained/#", stalled);
             Subscriber bystander = new Subscriber("retained-bystander", "pressure/retained/#", new CountDownLatch(0))) {
            bystander.awaitCount(count); // the stalled one's lookup ran as long
            assertFlatWhileStalledThenComplete("stalled retained lookup", before, stalled, slow, bystander, count,
                payloadBytes);
        }
    }

    /**
     * Once the bystander got everything, the broker holds less than 32 MiB more than
     * {@code before}; released, the stalled subscriber gets all {@code count} messages once, in
     * order (publish order, or topic order for retained ones), as the bystander did.
     */
    private static void assertFlatWhileStalledThenComplete(String what, MemoryInUse before, CountDownLatch stalled,
        Subscriber slow, Subscriber bystander, int count, int payloadBytes) throws Exception {
        MemoryInUse during = MemoryInUse.now();
        System.out.printf("%s, %d x %d KiB: before %s, stalled %s%n", what, count, payloadBytes / 1024, before, during);
        assertTrue(during.grownSince(before) < 32 * MIB, "before: " + before + ", stalled: " + during);
        stalled.countDown();
        slow.awaitCount(count);
        List<Integer> all = IntStream.range(0, count).boxed().toList();
        assertEquals(all, slow.received, what + ": each once, in order");
        assertEquals(all, bystander.received);
    }

    private static String retainedTopic(int i) {
        return String.format("pressure/retained/%05d", i);
    }

    /**
     * Subscribers whose TCP window is full (they stopped reading) while large messages keep
     * coming: the broker's heap after GC stays flat, its network buffers grow by at most a write
     * buffer or one message per stalled connection, and a bystander on the same topic gets every
     * message. Scaled down for CI; the full run is
     * {@code -Dpressure.subscribers=1000 -Dpressure.payloadKiB=1024 -Dpressure.messages=200} (see
     * docs/benchmarks.md).
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the full run; scaled down it takes seconds
    void subscribersThatStopReadingLeaveTheHeapFlatAndABystanderServed() throws Exception {
        int subscribers = Integer.getInteger("pressure.subscribers", 100);
        int payloadBytes = Integer.getInteger("pressure.payloadKiB", 256) * 1024;
        int messages = Integer.getInteger("pressure.messages", 40);
        int warmUp = 10;
        List<RawClient> stalled = new ArrayList<>();
        try (Subscriber bystander = new Subscriber("flood-bystander", "pressure/flood", new CountDownLatch(0));
             Publisher publisher = new Publisher("flood-publisher")) {
            for (int i = 0; i < warmUp; i++) {
                publisher.publish("pressure/flood", i, payloadBytes);
            }
            bystander.awaitCount(warmUp);
            List<Long> alone = List.copyOf(bystander.latencies);
            for (int i = 0; i < subscribers; i++) {
                RawClient client = new RawClient(broker.port(), 16 * 1024);
                stalled.add(client);
                SessionClients.connect(client, RawClient.connect(MqttVersion.MQTT_3_1_1, "flood-stalled-" + i, true, 0));
                SessionClients.subscribe(client, "pressure/flood", 1); // and reads nothing more
            }
            MemoryInUse before = MemoryInUse.now();
            int half = warmUp + messages / 2;
            for (int i = warmUp; i < half; i++) {
                publisher.publish("pressure/flood", i, payloadBytes);
            }
            bystander.awaitCount(half);
            MemoryInUse halfway = MemoryInUse.now();
            for (int i = half; i < warmUp + messages; i++) {
                publisher.publish("pressure/flood", i, payloadBytes);
            }
            bystander.awaitCount(warmUp + messages);
            MemoryInUse after = MemoryInUse.now();
            List<Long> beside = bystander.latencies.subList(warmUp, warmUp + messages);
            System.out.printf("%d stalled subscribers, %d x %d KiB: before %s, halfway %s, after %s;"
                    + " bystander latency p50/max alone %d/%d us, beside them %d/%d us%n",
                subscribers, messages, payloadBytes / 1024, before, halfway, after,
                percentile(alone, 50), percentile(alone, 100), percentile(beside, 50), percentile(beside, 100));
            assertEquals(IntStream.range(0, warmUp + messages).boxed().toList(), bystander.received);
            assertTrue(after.heapAfterGc() - before.heapAfterGc() < 32 * MIB, "heap: before " + before + ", after " + after);
            assertTrue(after.heapAfterGc() - halfway.heapAfterGc() < 16 * MIB, "flat: halfway " + halfway + ", after " + after);
            // One encoded message or the write buffer per connection, as the allocator's size classes round it.
            long perConnection = Math.max(payloadBytes, 128 * 1024) * 3 / 2;
            assertTrue(after.buffers() - before.buffers() < subscribers * perConnection + 32 * MIB,
                "network buffers: before " + before + ", after " + after);
        } finally {
            for (RawClient client : stalled) {
                client.close();
            }
        }
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * percent / 100.0) - 1));
    }

    /** Publishes payloads numbered by their first four bytes, followed by the time they were published, at QoS 1. */
    static final class Publisher implements AutoCloseable {
        final MqttAsyncClient client;

        Publisher(String clientId) throws MqttException {
            client = new MqttAsyncClient(broker.uri(), clientId, new MemoryPersistence());
            client.connect().waitForCompletion();
        }

        void publish(String topic, int sequence, int payloadBytes) throws MqttException {
            byte[] payload = new byte[payloadBytes];
            ByteBuffer.wrap(payload).putInt(sequence).putLong(System.nanoTime());
            client.publish(topic, payload, 1, false).waitForCompletion();
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion();
            client.close();
        }
    }
}
