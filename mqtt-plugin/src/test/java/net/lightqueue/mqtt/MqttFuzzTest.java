package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.FuzzPackets.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.lightqueue.mqtt.FuzzClient.Frame;
import net.lightqueue.mqtt.server.ConnectionServices;
import net.lightqueue.mqtt.server.MqttServer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real MQTT server with generated and mutated packets (see {@link FuzzPackets}) in
 * every connection state: before CONNECT, after it, with an inbound QoS 2 message awaiting
 * PUBREL, and with outbound QoS 1/2 deliveries awaiting their acks. After every case the
 * connection has either ended the way MQTT says (a v5 client told with a DISCONNECT error
 * code, a v3 client closed) or still answers PINGREQ; the broker logged no error and no
 * exception reached a connection's exceptionCaught; no server packet was malformed.
 *
 * <p>The bulk runs over Netty's in-VM transport through the production pipeline
 * ({@link MqttServer#connectionInitializer()}) with the real services of an in-process broker:
 * an EmbeddedChannel cannot serve here, because sessions are completed from the dispatcher's
 * threads and EmbeddedChannel's event loop claims every thread as its own. A smaller run goes
 * over TCP while a bystander client publishes and receives, and checks that connections,
 * sessions and heap are back to where they were.
 *
 * <p>Seeded: a failure names its seed and case; {@code -Dfuzz.seed=N} replays the run and
 * {@code -Dfuzz.cases=N} / {@code -Dfuzz.socketCases=N} set its size (see docs/benchmarks.md).
 */
class MqttFuzzTest {

    private static final int MAX_PACKET_SIZE = 65_536;
    /** Long runs (-Dfuzz.cases) take hours; a hang still fails within ANSWER_TIMEOUT_MILLIS. */
    private static final long LONG_RUN_HOURS = 12;
    /** Generous: a correct server answers in milliseconds; only a hang waits this long. */
    private static final long ANSWER_TIMEOUT_MILLIS = 20_000;
    /** Packet types a server sends; never CONNECT, SUBSCRIBE, UNSUBSCRIBE or PINGREQ. */
    private static final Set<Integer> SERVER_TYPES = Set.of(2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 15);

    @TempDir
    static Path store;
    static MqttBroker broker;
    static ConnectionServices services;
    static BrokerLogWatch log;
    static EventLoopGroup localLoops;
    static EventLoopGroup tcpLoops;
    static Channel localServer;
    static final ConcurrentLinkedQueue<Throwable> reachedTail = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Throwable> taskFailures = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        broker = MqttBroker.start(store, "mqttMaxPacketSize=" + MAX_PACKET_SIZE,
            // Mutated topics must not create RocketMQ topics: only "fuzz" exists.
            "mqttAutoCreateTopics=false",
            // Every session ends with its connection, so session counts return to their baseline.
            "mqttMaxSessionExpirySeconds=0", "mqttV3SessionExpirySeconds=0",
            "mqttConnectTimeoutSeconds=5", "mqttSysIntervalSeconds=0", "mqttIndexReadCacheSize=256");
        broker.broker().controller().getTopicConfigManager().createTopicIfAbsent(
            new TopicConfig("fuzz", 4, 4, PermName.PERM_READ | PermName.PERM_WRITE), false);
        MqttServer server = broker.plugin().server();
        services = server.services();
        // Client-caused, one line per topic or will: a first level that is no writable RocketMQ topic.
        log = BrokerLogWatch.attach(warning -> warning.startsWith("MQTT publishes to RocketMQ topic '")
            || warning.startsWith("mqtt client ") && warning.contains(" may not publish to '")
            || warning.startsWith("will of client '") && warning.contains(" not published: "));
        localLoops = new SurvivingEventLoopGroup(3);
        tcpLoops = new NioEventLoopGroup(1);
        ChannelHandler tailGuard = new TailGuard();
        localServer = new ServerBootstrap().group(localLoops).channel(LocalServerChannel.class)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(server.connectionInitializer()).addLast("tail-guard", tailGuard);
                }
            })
            .bind(new LocalAddress("mqtt-fuzz")).sync().channel();
    }

    @AfterAll
    static void stop() throws Exception {
        localServer.close().sync();
        localLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        tcpLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        log.close();
        broker.close();
    }

    @AfterEach
    void nothingUnexpectedLogged() {
        assertEquals(List.of(), log.drain(), "the broker logged what only a bug explains");
        assertEquals(List.of(), List.copyOf(reachedTail), "exceptions reached the end of the pipeline");
        assertEquals(List.of(), List.copyOf(taskFailures), "event loop tasks threw");
    }

    // ---- the fuzz runs ----

    @Test
    @Timeout(value = LONG_RUN_HOURS, unit = TimeUnit.HOURS)
    void inVmConnectionsSurviveOrEndCorrectlyForGeneratedAndMutatedPackets() throws Exception {
        Fuzz fuzz = new Fuzz(Integer.getInteger("fuzz.cases", 3_000), localBootstrap(), localServer.localAddress());
        fuzz.run(() -> true, 0);
        awaitBaseline(0);
    }

    @Test
    @Timeout(value = LONG_RUN_HOURS, unit = TimeUnit.HOURS)
    void overTcpABystanderKeepsWorkingAndNothingAccumulates() throws Exception {
        MqttClient bystander = new MqttClient(broker.uri(), "bystander", new MemoryPersistence());
        bystander.connect(new MqttConnectOptions());
        BlockingQueue<String> received = new ArrayBlockingQueue<>(16);
        bystander.subscribe("fuzz/bystander", 1, (topic, message) ->
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        BooleanSupplier bystanderWorks = () -> {
            String token = "still-here-" + System.nanoTime();
            try {
                bystander.publish("fuzz/bystander", token.getBytes(StandardCharsets.UTF_8), 1, false);
                return token.equals(received.poll(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                throw new AssertionError("the bystander failed", e);
            }
        };
        Bootstrap tcp = new Bootstrap().group(tcpLoops).channel(NioSocketChannel.class);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", broker.port());
        try {
            new Fuzz(200, tcp, address).run(bystanderWorks, 50); // warms up what the heap baseline should include
            awaitBaseline(1);
            long heapBefore = usedHeapAfterGc();
            new Fuzz(Integer.getInteger("fuzz.socketCases", 500), tcp, address).run(bystanderWorks, 100);
            awaitBaseline(1);
            long grown = usedHeapAfterGc() - heapBefore;
            assertTrue(grown < 64L << 20, "heap grew by " + (grown >> 20) + " MiB over the run");
            assertTrue(bystanderWorks.getAsBoolean(), "the bystander stopped receiving");
        } finally {
            bystander.disconnect();
            bystander.close();
        }
    }

    // ---- what the fuzzer found, and the spec statements it checks, as named cases ----

    @Test
    void aFiveByteRemainingLengthIsMalformed_MQTT_1_5_5_1() throws Exception {
        try (FuzzClient client = connectedV5("regress-varint")) {
            client.send(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
            assertDisconnectThenClose(client, 0x81);
        }
    }

    @Test
    void theLargestRemainingLengthIsRefusedBeforeItsBodyArrives() throws Exception {
        try (FuzzClient client = connectedV5("regress-max-length")) {
            client.send(concat(new byte[] {0x30}, FuzzPackets.varInt(FuzzPackets.MAX_REMAINING_LENGTH)));
            assertDisconnectThenClose(client, 0x95);
        }
    }

    @Test
    void aPacketWhoseFieldsRunPastItsEndIsMalformed_MQTT_4_8_0_1() throws Exception {
        try (FuzzClient client = connectedV5("regress-short-publish")) {
            // A PUBLISH of remaining length 0, then PINGREQ: its topic length must not be read from the PINGREQ.
            client.send(new byte[] {0x30, 0x00, (byte) 0xC0, 0x00});
            assertDisconnectThenClose(client, 0x81);
        }
    }

    @Test
    void reservedFlagsOnPingReqAreMalformed_MQTT_2_1_3_1() throws Exception {
        try (FuzzClient client = connectedV5("regress-flags")) {
            client.send(new byte[] {(byte) 0xC1, 0x00});
            assertDisconnectThenClose(client, 0x81);
        }
    }

    @Test
    void pubRelWithoutItsFixedFlagsIsMalformed_MQTT_3_6_1_1() throws Exception {
        try (FuzzClient client = connectedV5("regress-pubrel")) {
            client.send(new byte[] {0x60, 0x02, 0x00, 0x07});
            assertDisconnectThenClose(client, 0x81);
        }
    }

    @Test
    void anUndefinedPropertyIdIsMalformed_MQTT_2_2_2_2() throws Exception {
        try (FuzzClient client = connectedV5("regress-property")) {
            byte[] body = new FuzzPackets.Bytes().string("fuzz/p").u16(1).properties(new byte[] {0x00, 0x01}).toArray();
            client.send(FuzzPackets.frame(0x32, body));
            assertDisconnectThenClose(client, 0x81);
        }
    }

    @Test
    void aSecondConnectAfterAQos2PublishIsAProtocolError_MQTT_3_1_0_2() throws Exception {
        try (FuzzClient client = connectedV5("regress-reconnect")) {
            FuzzPackets packets = new FuzzPackets(new SplittableRandom(1));
            client.send(packets.publish(5, "fuzz/in", 2, 7, false, new byte[] {1}));
            assertEquals(FuzzPackets.PUBREC, client.next(ANSWER_TIMEOUT_MILLIS).type());
            client.send(packets.connect(5, "regress-reconnect"));
            assertDisconnectThenClose(client, 0x82);
        }
    }

    @Test
    void aSecondConnectOfAnotherVersionIsAnsweredInTheAcceptedVersion_MQTT_3_1_0_2() throws Exception {
        try (FuzzClient client = connectedV5("regress-version")) {
            client.send(new FuzzPackets(new SplittableRandom(2)).connect(4, "regress-version"));
            // Encoded as 3.1.1 this was an empty DISCONNECT, which a v5 client reads as 0x00 (normal).
            assertDisconnectThenClose(client, 0x82);
        }
    }

    @Test
    void aConnAckIsEncodedInItsConnectsVersionWhenAnotherConnectFollowsAtOnce() throws Exception {
        FuzzPackets packets = new FuzzPackets(new SplittableRandom(3));
        try (FuzzClient client = FuzzClient.connect(localBootstrap(), localServer.localAddress())) {
            client.send(concat(packets.connect(5, "regress-connack"), packets.connect(4, "regress-connack")));
            Frame connAck = client.next(ANSWER_TIMEOUT_MILLIS);
            assertEquals(2, connAck.type());
            assertEquals(0, connAck.code());
            assertTrue(connAck.body().length > 2, "a v5 CONNACK has a property section [MQTT-3.2.2]");
            assertDisconnectThenClose(client, 0x82);
        }
    }

    /** The keep-alive sweep runs on the in-VM transport's event loops too. */
    @Test
    void anInVmConnectionWithoutConnectIsClosedAfterTheConnectTimeout() throws Exception {
        long start = System.nanoTime();
        try (FuzzClient client = FuzzClient.connect(localBootstrap(), localServer.localAddress())) {
            assertNull(client.next(ANSWER_TIMEOUT_MILLIS), "the server sent a packet to a client without CONNECT");
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= TimeUnit.SECONDS.toMillis(services.settings().connectTimeoutSeconds()),
                "closed after " + elapsed + " ms, before mqttConnectTimeoutSeconds");
        }
    }

    // ---- the fuzz engine ----

    /** One run: {@code cases} connections, each set up in a state, fed packets, and checked. */
    private static final class Fuzz {
        private final int cases;
        private final Bootstrap bootstrap;
        private final SocketAddress server;
        private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
        private final FuzzPackets packets = new FuzzPackets(new SplittableRandom(seed));

        Fuzz(int cases, Bootstrap bootstrap, SocketAddress server) {
            this.cases = cases;
            this.bootstrap = bootstrap;
            this.server = server;
        }

        /** @param every how many cases apart {@code healthy} is checked; 0 = only at the end */
        void run(BooleanSupplier healthy, int every) throws Exception {
            for (int i = 0; i < cases; i++) {
                List<byte[]> sent = new ArrayList<>();
                try {
                    runCase(i, sent);
                    List<String> logged = log.drain();
                    assertEquals(List.of(), logged, "the broker logged what only a bug explains");
                    assertEquals(List.of(), List.copyOf(reachedTail), "exceptions reached the end of the pipeline");
                    assertEquals(List.of(), List.copyOf(taskFailures), "event loop tasks threw");
                    if (every > 0 && i % every == every - 1) {
                        assertTrue(healthy.getAsBoolean(), "the bystander stopped receiving");
                    }
                } catch (AssertionError | Exception e) {
                    StringBuilder packetsSent = new StringBuilder();
                    sent.forEach(bytes -> packetsSent.append("\n  ").append(HexFormat.of().formatHex(bytes, 0,
                        Math.min(bytes.length, 512))).append(bytes.length > 512 ? "... (" + bytes.length + " bytes)" : ""));
                    throw new AssertionError("fuzz case " + i + " of -Dfuzz.seed=" + seed + " failed: " + e.getMessage()
                        + "\nsent:" + packetsSent, e);
                }
            }
            assertTrue(healthy.getAsBoolean(), "the bystander stopped receiving");
        }

        private void runCase(int number, List<byte[]> sent) throws Exception {
            try (FuzzClient client = FuzzClient.connect(bootstrap, server)) {
                Connection connection = setUp(client, "fuzz-" + number, sent);
                byte[] stream = fuzzedPackets(connection);
                sent.add(stream);
                sendInPieces(client, stream);
                Stream analysed = Stream.of(stream);
                if (analysed.missing > 0) {
                    // A packet is incomplete: the server rightly waits for the rest, so send it.
                    byte[] rest = new byte[analysed.missing];
                    sent.add(rest);
                    client.send(rest);
                }
                if (analysed.mustClose) {
                    // The server cannot resynchronise after a malformed or oversized header [MQTT-4.8.0-1].
                    expectReplies(client, connection, true);
                    return;
                }
                client.send(FuzzPackets.pingReq());
                expectReplies(client, connection, false);
            }
        }

        /** Brings the connection into one of the states packets are fuzzed in. */
        private Connection setUp(FuzzClient client, String clientId, List<byte[]> sent) throws Exception {
            int state = packets.nextInt(8);
            if (state < 2) {
                return new Connection(0, 0); // before CONNECT
            }
            int version = packets.version();
            send(client, packets.connect(version, clientId), sent);
            Frame connAck = client.next(ANSWER_TIMEOUT_MILLIS);
            assertNotNull(connAck, "a valid CONNECT was answered by a close");
            assertEquals(2, connAck.type(), "the first server packet is CONNACK [MQTT-3.2.0-1]");
            assertEquals(0, connAck.code(), "a valid CONNECT was refused");
            if (state < 5) {
                return new Connection(version, 1 + packets.nextInt(0xFFFF));
            }
            if (state < 6) {
                // An inbound QoS 2 message that waits for its PUBREL.
                send(client, packets.publish(version, "fuzz/in", 2, 7, false, packets.payload()), sent);
                awaitFrame(client, FuzzPackets.PUBREC);
                return new Connection(version, 7);
            }
            // An outbound delivery that waits for the client's PUBACK, PUBREC or PUBCOMP.
            String topic = "fuzz/out/" + packets.nextInt(4);
            send(client, packets.subscribe(version, 1, topic, 2), sent);
            awaitFrame(client, 9);
            int qos = 1 + packets.nextInt(2);
            send(client, packets.publish(version, topic, qos, 2, false, new byte[] {42}), sent);
            // The delivery may come before or after the publish's own acknowledgement.
            Frame delivery = null;
            boolean published = false;
            while (delivery == null || !published) {
                Frame frame = client.next(ANSWER_TIMEOUT_MILLIS);
                assertNotNull(frame, "closed during a valid QoS " + qos + " publish");
                switch (frame.type()) {
                    case FuzzPackets.PUBLISH -> delivery = frame;
                    case FuzzPackets.PUBREC -> send(client, packets.pubReply(4, FuzzPackets.PUBREL, 2), sent);
                    case FuzzPackets.PUBACK, FuzzPackets.PUBCOMP -> published = true;
                    default -> {
                    }
                }
            }
            int deliveryId = delivery.publishPacketId();
            if (delivery.qos() == 2 && packets.chance(2)) {
                send(client, packets.pubReply(4, FuzzPackets.PUBREC, deliveryId), sent); // now it awaits PUBCOMP
            }
            return new Connection(version, deliveryId);
        }

        private byte[] fuzzedPackets(Connection connection) {
            int count = 1 + packets.nextInt(4);
            byte[][] parts = new byte[count][];
            for (int i = 0; i < count; i++) {
                int version = connection.version == 0 ? packets.version() : connection.version;
                byte[] packet = connection.version == 0 && i == 0 && packets.chance(2)
                    ? packets.richConnect(version, "fuzz-pre")
                    : packets.anyPacket(version, connection.packetIdHint);
                parts[i] = packets.chance(3) ? packet : packets.mutate(packet, version);
            }
            return concat(parts);
        }

        /** Sends in one write or split at random points, so packets also arrive in pieces. */
        private void sendInPieces(FuzzClient client, byte[] stream) {
            int at = 0;
            while (at < stream.length) {
                int piece = packets.chance(2) ? stream.length - at : 1 + packets.nextInt(stream.length - at);
                client.send(Arrays.copyOfRange(stream, at, at + piece));
                at += piece;
            }
        }

        private static void send(FuzzClient client, byte[] packet, List<byte[]> sent) {
            sent.add(packet);
            client.send(packet);
        }

        private static Frame awaitFrame(FuzzClient client, int type) throws InterruptedException {
            Frame frame;
            do {
                frame = client.next(ANSWER_TIMEOUT_MILLIS);
                assertNotNull(frame, "closed while waiting for a packet of type " + type + " in a valid flow");
            } while (frame.type() != type);
            return frame;
        }
    }

    /**
     * Reads the server's answers until the connection closed or (unless it must close) PINGRESP
     * came, checking each: well-formed and of a server's type, CONNACK first and once, DISCONNECT
     * only to v5 clients, with an error code, and as the last packet.
     */
    private static void expectReplies(FuzzClient client, Connection connection, boolean mustClose)
        throws InterruptedException {
        boolean connAcked = connection.version != 0;
        Frame frame;
        while ((frame = client.next(ANSWER_TIMEOUT_MILLIS)) != null) {
            assertTrue(SERVER_TYPES.contains(frame.type()), "the server sent packet type " + frame.type());
            int expectedFlags = frame.type() == FuzzPackets.PUBREL ? 0x02 : 0;
            if (frame.type() == FuzzPackets.PUBLISH) {
                assertTrue(frame.qos() < 3, "the server sent a PUBLISH with QoS 3");
            } else {
                assertEquals(expectedFlags, frame.flags(), "reserved flags of server packet type " + frame.type()
                    + " [MQTT-2.1.3-1]");
            }
            if (!connAcked) {
                assertEquals(2, frame.type(), "the first server packet is CONNACK [MQTT-3.2.0-1]");
                connAcked = true;
                if (frame.code() != 0) {
                    assertNull(client.next(ANSWER_TIMEOUT_MILLIS), "a refused CONNECT closes the connection [MQTT-3.2.2-5]");
                    return;
                }
                continue;
            }
            assertTrue(frame.type() != 2, "a second CONNACK");
            if (frame.type() == FuzzPackets.DISCONNECT) {
                assertTrue(connection.version == 0 || connection.version == 5, "a DISCONNECT to a v3 client");
                assertTrue(frame.code() >= 0x80, "DISCONNECT with reason 0x" + Integer.toHexString(frame.code()));
                assertNull(client.next(ANSWER_TIMEOUT_MILLIS), "the server closes after its DISCONNECT [MQTT-3.14.4-1]");
                return;
            }
            if (frame.type() == 13 && !mustClose) {
                return; // still answering: the connection stays correct
            }
        }
    }

    /** The connection a case's packets go to: its version (0 = before CONNECT) and a packet id in flight. */
    private record Connection(int version, int packetIdHint) {
    }

    /**
     * What the server must do with the bytes of a case, read by their fixed headers as it reads
     * them: how many (zero) bytes complete the last packet, and whether it must then close.
     */
    private record Stream(boolean mustClose, int missing) {
        static Stream of(byte[] bytes) {
            int at = 0;
            while (at < bytes.length) {
                int length = 0;
                int i = 0;
                while (true) {
                    if (at + 1 + i >= bytes.length) {
                        // A remaining length cut short: a 0 byte ends it, then its body follows.
                        boolean tooLarge = 2 + i + length > MAX_PACKET_SIZE;
                        return new Stream(tooLarge, tooLarge ? 1 : 1 + length);
                    }
                    int digit = bytes[at + 1 + i] & 0xFF;
                    length |= (digit & 0x7F) << (7 * i);
                    if ((digit & 0x80) == 0) {
                        break;
                    }
                    if (++i == 4) {
                        return new Stream(true, 0); // a 5-byte remaining length [MQTT-1.5.5-1]
                    }
                }
                if (length > MAX_PACKET_SIZE) {
                    return new Stream(true, 0);
                }
                int end = at + 2 + i + length;
                if (end > bytes.length) {
                    return new Stream(false, end - bytes.length);
                }
                at = end;
            }
            return new Stream(false, 0);
        }
    }

    private static FuzzClient connectedV5(String clientId) throws Exception {
        FuzzClient client = FuzzClient.connect(localBootstrap(), localServer.localAddress());
        client.send(new FuzzPackets(new SplittableRandom(0)).connect(5, clientId));
        Frame connAck = client.next(ANSWER_TIMEOUT_MILLIS);
        assertEquals(2, connAck.type());
        assertEquals(0, connAck.code());
        return client;
    }

    private static void assertDisconnectThenClose(FuzzClient client, int reasonCode) throws InterruptedException {
        Frame frame = client.next(ANSWER_TIMEOUT_MILLIS);
        assertNotNull(frame, "closed without DISCONNECT");
        assertEquals(FuzzPackets.DISCONNECT, frame.type());
        assertEquals(reasonCode, frame.code());
        assertNull(client.next(ANSWER_TIMEOUT_MILLIS), "the server closes after its DISCONNECT");
    }

    private static Bootstrap localBootstrap() {
        return new Bootstrap().group(localLoops).channel(LocalChannel.class);
    }

    /**
     * Waits until only {@code connections} clients are connected, with a session each (every
     * session ends with its connection here), and no session step is pending.
     */
    private static void awaitBaseline(int connections) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MILLIS);
        while (services.registry().count() != connections
            || services.sessions().clientsWithPendingSteps() != 0
            || services.sessions().sessionCount() < connections
            || services.sessions().sessionCount() > connections) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("state did not return to its baseline: "
                    + services.registry().count() + " connections, "
                    + services.sessions().sessionCount() + " sessions, "
                    + services.sessions().clientsWithPendingSteps() + " clients with pending steps");
            }
            Thread.sleep(10);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * In-VM event loops that survive a task that throws, as Netty's NIO and epoll loops do (its
     * DefaultEventLoop ends its thread instead); what a task threw is recorded as a failure.
     */
    private static final class SurvivingEventLoopGroup extends DefaultEventLoopGroup {
        SurvivingEventLoopGroup(int threads) {
            super(threads);
        }

        @Override
        protected EventLoop newChild(Executor executor, Object... args) {
            return new DefaultEventLoop(this, executor) {
                @Override
                protected void run() {
                    do {
                        Runnable task = takeTask();
                        if (task != null) {
                            try {
                                task.run();
                            } catch (Throwable failure) {
                                taskFailures.add(failure);
                            }
                            updateLastExecutionTime();
                        }
                    } while (!confirmShutdown());
                }
            };
        }

    }

    /** Sits after the server's handlers: anything arriving here was left unhandled by them. */
    @ChannelHandler.Sharable
    private static final class TailGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            reachedTail.add(new AssertionError("a packet passed the MQTT handler: " + msg));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reachedTail.add(cause);
            ctx.close();
        }
    }
}
