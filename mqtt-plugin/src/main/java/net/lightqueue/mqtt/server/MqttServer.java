package net.lightqueue.mqtt.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.codec.DecodedPackets;
import net.lightqueue.mqtt.codec.PacketEncoder;
import net.lightqueue.mqtt.codec.PacketFramer;
import net.lightqueue.mqtt.codec.PacketTraffic;
import net.lightqueue.mqtt.connection.ServerStopping;
import net.lightqueue.mqtt.listener.Listener;
import net.lightqueue.mqtt.listener.Listeners;
import net.lightqueue.mqtt.persistence.HandoverRecord;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/** The MQTT listeners (TCP, and TLS and WebSocket when configured): native epoll where available, NIO otherwise. */
public final class MqttServer {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.server");
    private static final long STOP_GRACE_MILLIS = 3_000;

    private final MqttSettings settings;
    private final ConnectionServices services;
    private final PacketTraffic traffic;
    private final PacketEncoder encoder;
    private final ChannelGroup channels = new DefaultChannelGroup("mqtt-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Listeners listeners;
    private ServerBootstrap bootstrap;
    private boolean epoll;
    /** The plain TCP listener first; empty while not listening. */
    private final List<Channel> serverChannels = new ArrayList<>();
    /**
     * Sets up a client connection's pipeline: the listener's transport (TLS, WebSocket, PROXY
     * header) first, then the same MQTT pipeline for every listener and for in-VM channels.
     */
    private final ChannelInitializer<Channel> connections = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {
            channels.add(channel);
            Listener listener = Listener.of(channel);
            if (listener != null) {
                listener.transport().addHandlers(channel.pipeline());
            }
            // Bounds what is read into memory: larger packets fail before their body is read.
            PacketFramer framer = new PacketFramer(settings.maxPacketSize());
            channel.pipeline()
                .addLast("framer", framer)
                .addLast("decoder", new MqttDecoder(settings.maxPacketSize(), settings.maxClientIdLength()))
                .addLast("decoded", new DecodedPackets(framer, traffic))
                .addLast("encoder", encoder)
                .addLast(ConnectGate.NAME, new ConnectGate())
                .addLast("mqtt", new MqttConnectionHandler(services));
        }
    };

    /** @param traffic shown every MQTT packet in and out */
    public MqttServer(MqttSettings settings, ConnectionServices services, PacketTraffic traffic) {
        this.settings = settings;
        this.services = services;
        this.traffic = traffic;
        this.encoder = new PacketEncoder(traffic);
    }

    /** Prepares the threads and the listeners broker.conf turns on; {@link #listen} opens them. */
    public void start() throws SSLException {
        epoll = Epoll.isAvailable();
        acceptors = newGroup(epoll, 1, "mqtt-accept");
        workers = newGroup(epoll, settings.ioThreads(), "mqtt-io");
        listeners = Listeners.open(settings, acceptors);
        Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bootstrap = new ServerBootstrap()
            .group(acceptors, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, sharedReceiveBuffers())
            .childHandler(connections);
    }

    /** Binds every listener; each feeds the same MQTT pipeline. Does nothing while listening. */
    public synchronized void listen() throws InterruptedException {
        if (!serverChannels.isEmpty()) {
            return;
        }
        for (Listener listener : listeners.all()) {
            Channel bound = bootstrap.clone().attr(Listener.ATTRIBUTE, listener)
                .bind(settings.listenHost(), listener.port()).sync().channel();
            serverChannels.add(bound);
            LOG.info("MQTT {} listening on {} ({})", listener.name(), bound.localAddress(), epoll ? "epoll" : "nio");
        }
    }

    /**
     * Closes the listeners, so a load balancer's health check on the MQTT port fails and new
     * clients go elsewhere, and ends every connection (v5 clients get DISCONNECT 0x8B).
     */
    public synchronized void stopListening() {
        if (serverChannels.isEmpty()) {
            return;
        }
        serverChannels.forEach(listening -> listening.close().syncUninterruptibly());
        serverChannels.clear();
        channels.forEach(MqttServer::tellStopping);
        LOG.info("MQTT listeners closed");
    }

    /**
     * The pipeline setup of every MQTT connection, for channels of other transports (Netty's
     * in-VM {@code LocalChannel}) that should be served exactly like a TCP connection.
     */
    public ChannelInitializer<Channel> connectionInitializer() {
        return connections;
    }

    /** The names of the listeners broker.conf turns on (tcp first), once started. */
    public List<String> listenerNames() {
        return listeners.all().stream().map(Listener::name).toList();
    }

    public ConnectionServices services() {
        return services;
    }

    /** @return the plain TCP listener's port */
    public int boundPort() {
        return serverChannels.isEmpty() ? -1 : ((InetSocketAddress) serverChannels.get(0).localAddress()).getPort();
    }

    /**
     * Gives the client's session to another broker group: its connection here, if any, ends with
     * "session taken over" [MQTT-3.1.4-3]; completes with the session's record, null if none is here.
     */
    public CompletableFuture<HandoverRecord> handOver(String clientId) {
        return services.sessions().handOver(clientId, MqttConnectionHandler.takeOver(services.registry().takeAway(clientId)));
    }

    /** Stops accepting, ends every connection, and releases the threads. */
    public void stop() {
        if (acceptors == null) {
            return;
        }
        stopListening();
        listeners.close();
        channels.newCloseFuture().awaitUninterruptibly(STOP_GRACE_MILLIS);
        channels.close().awaitUninterruptibly(STOP_GRACE_MILLIS);
        acceptors.shutdownGracefully(0, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        acceptors = null;
        LOG.info("MQTT server stopped");
    }

    private static void tellStopping(Channel channel) {
        channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(ServerStopping.INSTANCE));
    }

    /**
     * One receive-buffer allocator for every connection instead of one each, as a channel's
     * default configuration makes; each channel still sizes its reads with a handle of its own.
     * Up to 16 reads per readiness, the default of Netty's socket channels (the allocator's own is 1).
     */
    private static RecvByteBufAllocator sharedReceiveBuffers() {
        AdaptiveRecvByteBufAllocator allocator = new AdaptiveRecvByteBufAllocator();
        allocator.maxMessagesPerRead(16);
        return allocator;
    }

    private static EventLoopGroup newGroup(boolean epoll, int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }
}
