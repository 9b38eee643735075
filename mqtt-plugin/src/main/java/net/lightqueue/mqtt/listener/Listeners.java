package net.lightqueue.mqtt.listener;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLException;
import net.lightqueue.mqtt.MqttSettings;

/** The listeners broker.conf turns on (plain TCP always; TLS, WebSocket and secure WebSocket by port). */
public final class Listeners implements AutoCloseable {

    /** The subprotocols MQTT clients ask for; browsers fail the handshake unless one is answered. */
    private static final String MQTT_SUBPROTOCOLS = "mqtt,mqttv3.1";
    /** Bounds the HTTP upgrade request, the only HTTP message a WebSocket listener reads. */
    private static final int MAX_HTTP_REQUEST = 8 * 1024;

    private final MqttSettings settings;
    private final TlsContext tls;
    private final List<Listener> all = new ArrayList<>();

    private Listeners(MqttSettings settings, TlsContext tls) {
        this.settings = settings;
        this.tls = tls;
        all.add(new Listener("tcp", settings.listenPort(), this::proxyProtocol));
        if (settings.tlsPort() != 0) {
            all.add(new Listener("tls", settings.tlsPort(), pipeline -> {
                proxyProtocol(pipeline);
                tls(pipeline);
            }));
        }
        if (settings.wsPort() != 0) {
            all.add(new Listener("ws", settings.wsPort(), pipeline -> {
                proxyProtocol(pipeline);
                webSocket(pipeline);
            }));
        }
        if (settings.wssPort() != 0) {
            all.add(new Listener("wss", settings.wssPort(), pipeline -> {
                proxyProtocol(pipeline);
                tls(pipeline);
                webSocket(pipeline);
            }));
        }
    }

    /**
     * @param executor checks the TLS files for renewed certificates
     * @throws SSLException when the TLS files do not load
     */
    public static Listeners open(MqttSettings settings, ScheduledExecutorService executor) throws SSLException {
        TlsContext tls = null;
        if (settings.tlsPort() != 0 || settings.wssPort() != 0) {
            tls = new TlsContext(settings);
            tls.watch(executor);
        }
        return new Listeners(settings, tls);
    }

    public List<Listener> all() {
        return all;
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.stop();
        }
    }

    private void proxyProtocol(ChannelPipeline pipeline) {
        if (settings.proxyProtocol()) {
            pipeline.addLast("proxy-protocol", new HAProxyMessageDecoder())
                .addLast("proxied-address", new ProxiedAddress());
        }
    }

    private void tls(ChannelPipeline pipeline) {
        SslHandler ssl = tls.current().newHandler(pipeline.channel().alloc());
        ssl.setHandshakeTimeoutMillis(settings.connectTimeoutSeconds() * 1000L);
        pipeline.addLast("tls", ssl)
            .addLast("tls-handshake-failures", new TlsHandshakeFailures());
    }

    private void webSocket(ChannelPipeline pipeline) {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(settings.wsPath())
            .subprotocols(MQTT_SUBPROTOCOLS)
            .handshakeTimeoutMillis(settings.connectTimeoutSeconds() * 1000L)
            // A frame carries at least one MQTT packet's worth, so packets up to the limit fit.
            .maxFramePayloadLength(settings.maxPacketSize())
            .build();
        pipeline.addLast("http", new HttpServerCodec())
            .addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST))
            .addLast("websocket", new WebSocketServerProtocolHandler(config))
            .addLast("websocket-frames", new WebSocketFrames());
    }
}
