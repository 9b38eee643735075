package net.lightqueue.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens MQTT connections to the targets on a few shared event-loop threads (epoll when available),
 * over the run's transport.
 */
final class Connector implements AutoCloseable {
    static final int MAX_PACKET_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Targets targets;
    private final TransportLayers transport;
    private final int sourceCount;
    private final int keepAliveSeconds;
    private final AtomicInteger opened = new AtomicInteger();

    Connector(Targets targets, TransportLayers transport, int threads, int sourceCount, int keepAliveSeconds,
            long connectTimeoutNanos) {
        this.targets = targets;
        this.transport = transport;
        this.sourceCount = sourceCount;
        this.keepAliveSeconds = keepAliveSeconds;
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos));
        if (epoll) {
            // Lets many source addresses share ephemeral ports: the port is picked at connect time.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    /** Starts a connection; the client's {@link BenchClient#ready()} tells the outcome. */
    BenchClient connect(BenchClient client) {
        int n = opened.getAndIncrement();
        InetSocketAddress target = targets.of(client.spec());
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                transport.addTo(ch.pipeline(), target);
                if (keepAliveSeconds > 0) {
                    ch.pipeline().addLast(new IdleStateHandler(0, Math.max(1, keepAliveSeconds / 2), 0));
                }
                ch.pipeline().addLast(new MqttDecoder(MAX_PACKET_BYTES), MqttEncoder.INSTANCE, client);
            }
        });
        InetSocketAddress source = LoopbackAddresses.source(target, n, sourceCount);
        ChannelFuture future = source == null ? b.connect(target) : b.connect(target, source);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                client.ready().completeExceptionally(new SetupException("cannot connect to " + target + ": " + f.cause()));
            }
        });
        return client;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
