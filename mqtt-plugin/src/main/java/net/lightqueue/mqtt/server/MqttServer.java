package net.lightqueue.mqtt.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.codec.PacketFramer;
import net.lightqueue.mqtt.connection.ServerStopping;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/** The MQTT listener: native epoll where available, NIO otherwise. */
public final class MqttServer {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.server");
    private static final long STOP_GRACE_MILLIS = 3_000;

    private final MqttSettings settings;
    private final ConnectionServices services;
    private final ChannelHandler traffic;
    private final ChannelGroup channels = new DefaultChannelGroup("mqtt-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Channel serverChannel;
    /** Sets up a client connection's pipeline; shared by the TCP listener and in-VM channels. */
    private final ChannelInitializer<Channel> connections = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {
            channels.add(channel);
            // Bounds what is read into memory: larger packets fail before their body is read.
            PacketFramer framer = new PacketFramer(settings.maxPacketSize());
            channel.pipeline()
                .addLast(MqttConnectionHandler.IDLE_HANDLER,
                    new IdleStateHandler(settings.connectTimeoutSeconds(), 0, 0, TimeUnit.SECONDS))
                .addLast("framer", framer)
                .addLast("decoder", new MqttDecoder(settings.maxPacketSize(), settings.maxClientIdLength()))
                .addLast("decoded", framer.decodedPackets())
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast("traffic", traffic)
                .addLast("mqtt", new MqttConnectionHandler(services));
        }
    };

    /** @param traffic a shared handler placed after the codec, seeing every MQTT packet in and out */
    public MqttServer(MqttSettings settings, ConnectionServices services, ChannelHandler traffic) {
        this.settings = settings;
        this.services = services;
        this.traffic = traffic;
    }

    public void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        acceptors = newGroup(epoll, 1, "mqtt-accept");
        workers = newGroup(epoll, settings.ioThreads(), "mqtt-io");
        Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptors, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
            .childHandler(connections);
        ChannelFuture bound = bootstrap.bind(settings.listenHost(), settings.listenPort()).sync();
        serverChannel = bound.channel();
        LOG.info("MQTT listening on {} ({})", serverChannel.localAddress(), epoll ? "epoll" : "nio");
    }

    /**
     * The pipeline setup of every MQTT connection, for channels of other transports (Netty's
     * in-VM {@code LocalChannel}) that should be served exactly like a TCP connection.
     */
    public ChannelInitializer<Channel> connectionInitializer() {
        return connections;
    }

    public ConnectionServices services() {
        return services;
    }

    public int boundPort() {
        return serverChannel == null ? -1 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Ends every connection (v5 clients get DISCONNECT 0x8B) but keeps listening. */
    public void disconnectAll() {
        channels.forEach(MqttServer::tellStopping);
    }

    /** Stops accepting, ends every connection, and releases the threads. */
    public void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        channels.forEach(MqttServer::tellStopping);
        channels.newCloseFuture().awaitUninterruptibly(STOP_GRACE_MILLIS);
        channels.close().awaitUninterruptibly(STOP_GRACE_MILLIS);
        acceptors.shutdownGracefully(0, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        serverChannel = null;
        LOG.info("MQTT listener stopped");
    }

    private static void tellStopping(Channel channel) {
        channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(ServerStopping.INSTANCE));
    }

    private static EventLoopGroup newGroup(boolean epoll, int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }
}
