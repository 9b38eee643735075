package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.lightqueue.host.testing.TestCertificates;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS, WebSocket and secure WebSocket listeners (server certificate only), against one
 * broker with all of them on: each carries the same MQTT as the TCP listener.
 */
class ListenerTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    static Path dir;
    static MqttBroker broker;
    static int tlsPort;
    static int wsPort;
    static int wssPort;
    static Path certFile;
    static Path keyFile;
    static TestCertificates.Identity original;
    static TestCertificates.Identity renewed;
    /** Trusts the original and the renewed certificate, so tests pass in any order. */
    static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        original = TestCertificates.create(dir, "original");
        renewed = TestCertificates.create(dir, "renewed");
        certFile = dir.resolve("server.pem");
        keyFile = dir.resolve("server.key");
        original.writePem(certFile, keyFile);
        client = TestCertificates.clientContext(null, original.certificate(), renewed.certificate());
        tlsPort = MqttBroker.freePort();
        wsPort = MqttBroker.freePort();
        wssPort = MqttBroker.freePort();
        broker = MqttBroker.start(Files.createDirectories(dir.resolve("store")),
            "mqttTlsPort=" + tlsPort, "mqttWsPort=" + wsPort, "mqttWssPort=" + wssPort,
            "mqttTlsCertFile=" + certFile, "mqttTlsKeyFile=" + keyFile,
            // Longer than any wait below: a connection that closes did so because of what it sent.
            "mqttConnectTimeoutSeconds=120");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void tlsClientPublishesAndSubscribes() throws Exception {
        RoundTrip.assertRoundTrip("ssl://127.0.0.1:" + tlsPort, tlsOptions(), "tls-client");
    }

    @Test
    void tcpStillServesPlainClients() throws Exception {
        RoundTrip.assertRoundTrip(broker.uri(), new MqttConnectOptions(), "tcp-client");
    }

    @Test
    void plaintextClientOnTheTlsPortIsClosed() throws Exception {
        try (RawClient plaintext = new RawClient(tlsPort)) {
            plaintext.send(RawClient.connect(MqttVersion.MQTT_3_1_1, "plaintext", true, 60));
            plaintext.awaitClose();
        }
    }

    @Test
    void renewedCertificateFilesServeNewConnections() throws Exception {
        renewed.writePem(certFile, keyFile);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Certificate served = serverCertificate();
        while (!served.equals(renewed.certificate()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = serverCertificate();
        }
        assertEquals(renewed.certificate().getSubjectX500Principal(), ((X509Certificate) served).getSubjectX500Principal());
        assertEquals(renewed.certificate(), served);
        RoundTrip.assertRoundTrip("ssl://127.0.0.1:" + tlsPort, tlsOptions(), "after-renewal");
    }

    @Test
    void webSocketClientPublishesAndSubscribes() throws Exception {
        RoundTrip.assertRoundTrip("ws://127.0.0.1:" + wsPort + "/mqtt", new MqttConnectOptions(), "ws-client");
    }

    @Test
    void secureWebSocketClientPublishesAndSubscribes() throws Exception {
        RoundTrip.assertRoundTrip("wss://127.0.0.1:" + wssPort + "/mqtt", tlsOptions(), "wss-client");
    }

    @Test
    void webSocketFramesMaySplitAndJoinPackets() throws Exception {
        MqttFrames frames = new MqttFrames();
        WebSocket socket = frames.open(wsPort);
        assertEquals("mqtt", socket.getSubprotocol());

        byte[] connect = frames.encode(RawClient.connect(MqttVersion.MQTT_3_1_1, "ws-frames", true, 60));
        socket.sendBinary(slice(connect, 0, 3), true).join();
        socket.sendBinary(slice(connect, 3, connect.length), true).join();
        MqttConnAckMessage connAck = assertInstanceOf(MqttConnAckMessage.class, frames.next());
        assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connAck.variableHeader().connectReturnCode());

        byte[] subscribe = frames.encode(MqttMessageBuilders.subscribe().messageId(1)
            .addSubscription(MqttQoS.AT_MOST_ONCE, "frames/t").build());
        byte[] ping = frames.encode(new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        socket.sendBinary(ByteBuffer.wrap(concat(subscribe, ping)), true).join();
        // Both packets of the joined frame are answered (a SUBACK waits for the subscription to be stored).
        Set<MqttMessageType> answers = EnumSet.of(frames.next().fixedHeader().messageType(),
            frames.next().fixedHeader().messageType());
        assertEquals(EnumSet.of(MqttMessageType.SUBACK, MqttMessageType.PINGRESP), answers);

        byte[] publish = frames.encode(MqttMessageBuilders.publish().topicName("frames/t").qos(MqttQoS.AT_MOST_ONCE)
            .payload(Unpooled.copiedBuffer("in pieces", StandardCharsets.UTF_8)).build());
        // A binary frame without FIN, then a continuation frame.
        socket.sendBinary(slice(publish, 0, 5), false).join();
        socket.sendBinary(slice(publish, 5, publish.length), true).join();
        MqttPublishMessage delivered = assertInstanceOf(MqttPublishMessage.class, frames.next());
        assertEquals("in pieces", delivered.payload().toString(StandardCharsets.UTF_8));
        delivered.release();
        socket.abort();
        frames.close();
    }

    @Test
    void textFrameClosesTheConnection() throws Exception {
        MqttFrames frames = new MqttFrames();
        WebSocket socket = frames.open(wsPort);
        socket.sendText("CONNECT", true).join();
        // 1003: the endpoint received data of a type it cannot accept (RFC 6455 7.4.1).
        assertEquals(1003, frames.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
        frames.close();
    }

    private static MqttConnectOptions tlsOptions() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(client.getSocketFactory());
        return options;
    }

    private static Certificate serverCertificate() throws Exception {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    private static ByteBuffer slice(byte[] bytes, int from, int to) {
        return ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, to));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A raw WebSocket client that decodes the binary frames it receives as MQTT packets. */
    private static final class MqttFrames implements WebSocket.Listener, AutoCloseable {
        /** Like RawClient's: the encoder keeps the protocol version of the CONNECT for later packets. */
        private final EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
        private final BlockingQueue<MqttMessage> packets = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        WebSocket open(int port) {
            return HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/mqtt"), this).join();
        }

        byte[] encode(MqttMessage message) {
            synchronized (codec) {
                codec.writeOutbound(message);
                ByteBuf encoded = codec.readOutbound();
                byte[] bytes = ByteBufUtil.getBytes(encoded);
                encoded.release();
                return bytes;
            }
        }

        MqttMessage next() throws InterruptedException {
            MqttMessage packet = packets.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (packet == null) {
                throw new AssertionError("no MQTT packet from the server");
            }
            return packet;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            synchronized (codec) {
                codec.writeInbound(Unpooled.copiedBuffer(data));
                for (Object packet = codec.readInbound(); packet != null; packet = codec.readInbound()) {
                    packets.add((MqttMessage) packet);
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void close() {
            synchronized (codec) {
                codec.finishAndReleaseAll();
            }
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
