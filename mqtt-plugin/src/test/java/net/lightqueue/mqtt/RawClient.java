package net.lightqueue.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A client that speaks MQTT byte by byte: Netty's codec on an embedded channel encodes what
 * the test sends and decodes what the server answers, and raw bytes can be sent as they are.
 */
final class RawClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 15_000;

    private final Socket socket;
    private final EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }

    /** A client whose socket receive buffer, and so its TCP window, is at most {@code receiveBufferBytes}. */
    RawClient(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }

    static MqttConnectMessage connect(MqttVersion version, String clientId, boolean cleanSession, int keepAlive) {
        return MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId).cleanSession(cleanSession)
            .keepAlive(keepAlive).build();
    }

    /** Connects and returns the CONNACK. */
    MqttMessage connected(MqttVersion version, String clientId) throws IOException {
        send(connect(version, clientId, true, 60));
        return read();
    }

    void send(MqttMessage message) throws IOException {
        sendRaw(encode(message));
    }

    /** The packet's bytes, for a test that sends them later or from another thread. */
    byte[] encode(MqttMessage message) {
        codec.writeOutbound(message);
        ByteBuf encoded = codec.readOutbound();
        byte[] bytes = new byte[encoded.readableBytes()];
        encoded.readBytes(bytes);
        encoded.release();
        return bytes;
    }

    void sendRaw(byte... bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next packet from the server, or null when the server closed the connection. */
    MqttMessage read() throws IOException {
        Object decoded = codec.readInbound();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (decoded == null) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither answered nor closed the connection");
            } catch (IOException reset) {
                return null;
            }
            if (n < 0) {
                return null;
            }
            codec.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
            decoded = codec.readInbound();
        }
        return (MqttMessage) decoded;
    }

    /** Discards what the server still sends until it closes the connection; fails if it never does. */
    void awaitClose() throws IOException {
        MqttMessage message;
        while ((message = read()) != null) {
            ReferenceCountUtil.release(message);
        }
    }

    static MqttProperties properties(MqttProperties.MqttProperty<?>... properties) {
        MqttProperties result = new MqttProperties();
        for (MqttProperties.MqttProperty<?> property : properties) {
            result.add(property);
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        codec.finishAndReleaseAll();
    }
}
