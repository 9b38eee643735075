package net.lightqueue.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A tiny MQTT broker for the runner's own tests, on 127.0.0.1 and a free port, that can be told
 * to drop, duplicate or reorder chosen deliveries. Deliveries are numbered 0, 1, 2, ... in the
 * order the broker routes them, over all subscribers. It keeps persistent sessions (subscriptions
 * and a queue while offline) in memory. Everything runs on one event-loop thread.
 */
final class FaultyBroker implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final Map<String, Session> sessions = new HashMap<>();
    private Set<Long> drop = Set.of();
    private Set<Long> duplicate = Set.of();
    private Set<Long> reorder = Set.of();
    private long deliveries;

    FaultyBroker() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Connection());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Never delivers these deliveries. */
    FaultyBroker dropping(Long... ordinals) {
        drop = Set.of(ordinals);
        return this;
    }

    /** Delivers these twice, the second time as a new message (new packet id), as a buggy broker would. */
    FaultyBroker duplicating(Long... ordinals) {
        duplicate = Set.of(ordinals);
        return this;
    }

    /** Holds each of these back and delivers it right after the next delivery. */
    FaultyBroker reordering(Long... ordinals) {
        reorder = Set.of(ordinals);
        return this;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Session {
        final Map<String, MqttQoS> filters = new LinkedHashMap<>();
        final Queue<MqttPublishMessage> offline = new ArrayDeque<>();
        final boolean persistent;
        Channel channel;
        MqttPublishMessage heldBack;
        int nextPacketId = 1;

        Session(boolean persistent) {
            this.persistent = persistent;
        }
    }

    private final class Connection extends SimpleChannelInboundHandler<MqttMessage> {
        private Session session;
        private String clientId;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            switch (msg.fixedHeader().messageType()) {
                case CONNECT -> onConnect(ctx, (MqttConnectMessage) msg);
                case SUBSCRIBE -> onSubscribe(ctx, (MqttSubscribeMessage) msg);
                case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
                case PUBREL -> ctx.writeAndFlush(reply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, msg));
                case PUBREC -> ctx.writeAndFlush(reply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, msg));
                case PINGREQ -> ctx.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
                case DISCONNECT -> ctx.close();
                default -> {
                    // PUBACK and PUBCOMP from subscribers end flows this broker does not retry
                }
            }
        }

        private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
            clientId = connect.payload().clientIdentifier();
            boolean clean = connect.variableHeader().isCleanSession();
            Session existing = clean ? null : sessions.get(clientId);
            session = existing != null ? existing : new Session(!clean);
            sessions.put(clientId, session);
            session.channel = ctx.channel();
            ctx.writeAndFlush(new MqttConnAckMessage(
                    new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, existing != null)));
            while (!session.offline.isEmpty()) {
                deliver(session, session.offline.poll());
            }
        }

        private void onSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
            int[] granted = subscribe.payload().topicSubscriptions().stream().mapToInt(s -> {
                session.filters.put(s.topicName(), s.qualityOfService());
                return s.qualityOfService().value();
            }).toArray();
            ctx.writeAndFlush(new MqttSubAckMessage(
                    new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                    new MqttSubAckPayload(granted)));
        }

        private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
            String topic = publish.variableHeader().topicName();
            for (Session target : sessions.values()) {
                for (Map.Entry<String, MqttQoS> filter : target.filters.entrySet()) {
                    if (TopicFilter.matches(filter.getKey(), topic)) {
                        MqttQoS qos = MqttQoS.valueOf(
                            Math.min(filter.getValue().value(), publish.fixedHeader().qosLevel().value()));
                        route(target, copy(topic, qos, publish.payload()));
                        break;
                    }
                }
            }
            MqttQoS qos = publish.fixedHeader().qosLevel();
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(reply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, publish));
            } else if (qos == MqttQoS.EXACTLY_ONCE) {
                ctx.writeAndFlush(reply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, publish));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (session != null && session.channel == ctx.channel()) {
                session.channel = null;
                if (!session.persistent) {
                    sessions.remove(clientId);
                }
            }
        }
    }

    /** Applies the configured faults to one delivery; a session that is offline queues it instead. */
    private void route(Session target, MqttPublishMessage message) {
        if (target.channel == null) {
            if (target.persistent) {
                target.offline.add(message);
            } else {
                message.release();
            }
            return;
        }
        deliver(target, message);
    }

    private void deliver(Session target, MqttPublishMessage message) {
        long ordinal = deliveries++;
        if (drop.contains(ordinal)) {
            message.release();
            return;
        }
        if (reorder.contains(ordinal)) {
            target.heldBack = message;
            return;
        }
        if (duplicate.contains(ordinal)) {
            send(target, message.retainedDuplicate());
        }
        send(target, message);
        if (target.heldBack != null) {
            send(target, target.heldBack);
            target.heldBack = null;
        }
    }

    private void send(Session target, MqttPublishMessage message) {
        MqttQoS qos = message.fixedHeader().qosLevel();
        int packetId = 0;
        if (qos != MqttQoS.AT_MOST_ONCE) {
            packetId = target.nextPacketId;
            target.nextPacketId = packetId == 65535 ? 1 : packetId + 1;
        }
        target.channel.writeAndFlush(new MqttPublishMessage(message.fixedHeader(),
                new MqttPublishVariableHeader(message.variableHeader().topicName(), packetId), message.payload()));
    }

    private static MqttPublishMessage copy(String topic, MqttQoS qos, ByteBuf payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, 0), payload.copy());
    }

    private static MqttMessage reply(MqttMessageType type, MqttQoS qos, MqttMessage to) {
        int packetId = to.variableHeader() instanceof MqttPublishVariableHeader p
                ? p.packetId()
                : ((MqttMessageIdVariableHeader) to.variableHeader()).messageId();
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(packetId));
    }
}
