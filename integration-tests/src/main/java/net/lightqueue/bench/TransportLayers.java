package net.lightqueue.bench;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The layers between a connection's socket and its MQTT codec for the run's {@link Transport}:
 * TLS that trusts the --cafile certificates, and the WebSocket upgrade to --ws-path with the
 * {@code mqtt} subprotocol, MQTT packets travelling in binary frames.
 */
final class TransportLayers {
    private static final int HANDSHAKE_RESPONSE_BYTES = 8192;

    private final Transport transport;
    private final SslContext tls;
    private final String webSocketPath;
    private final int maxFrameBytes;
    private final long handshakeTimeoutMillis;

    private TransportLayers(Transport transport, SslContext tls, String webSocketPath, int maxFrameBytes,
            long handshakeTimeoutMillis) {
        this.transport = transport;
        this.tls = tls;
        this.webSocketPath = webSocketPath;
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    static TransportLayers of(BenchOptions options, int maxPacketBytes) {
        SslContext tls = null;
        if (options.transport().secure()) {
            try {
                tls = SslContextBuilder.forClient().trustManager(new File(options.caFile()))
                        .protocols("TLSv1.3", "TLSv1.2").build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new SetupException("cannot use --cafile " + options.caFile() + ": " + e.getMessage(), e);
            }
        }
        return new TransportLayers(options.transport(), tls, options.wsPath(), maxPacketBytes,
                TimeUnit.NANOSECONDS.toMillis(options.connectTimeoutNanos()));
    }

    /** Adds the layers for a connection to {@code target}, in the order they sit above the socket. */
    void addTo(ChannelPipeline pipeline, InetSocketAddress target) {
        if (tls != null) {
            pipeline.addLast(tls.newHandler(pipeline.channel().alloc(), target.getHostString(), target.getPort()));
        }
        if (transport.webSocket()) {
            URI uri = URI.create((transport.secure() ? "wss://" : "ws://") + target.getHostString() + ":"
                    + target.getPort() + webSocketPath);
            pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(HANDSHAKE_RESPONSE_BYTES),
                    new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(uri)
                            .subprotocol("mqtt")
                            .maxFramePayloadLength(maxFrameBytes)
                            .handshakeTimeoutMillis(handshakeTimeoutMillis)
                            .build()),
                    new WebSocketMqttFrames());
        }
    }
}
