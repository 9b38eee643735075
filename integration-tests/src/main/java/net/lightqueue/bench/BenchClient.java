package net.lightqueue.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * One MQTT connection: CONNECT (with the client's will, and SUBSCRIBE when asked), then hands
 * PUBLISH traffic to the client's {@link Deliveries} and acknowledgements to its {@link Outbox}.
 * {@link #ready()} completes once the connection can carry the scenario's traffic; later
 * SUBSCRIBE/UNSUBSCRIBE requests complete with their acknowledgement's reason code.
 */
final class BenchClient extends ChannelInboundHandlerAdapter {
    private static final int SUBSCRIBE_PACKET_ID = 1;
    /** No DISCONNECT received from the broker. */
    static final int NO_DISCONNECT = -1;

    private final ClientSpec spec;
    private final SessionSettings settings;
    private final boolean subscribeOnConnect;
    private final Deliveries deliveries;
    private final Outbox outbox;
    private final RunMeters meters;
    private final CompletableFuture<BenchClient> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final PendingRequests requests = new PendingRequests(SUBSCRIBE_PACKET_ID + 1);
    private ChannelHandlerContext ctx;
    private volatile boolean leaving;
    private volatile boolean takeoverExpected;
    private volatile int disconnectReason = NO_DISCONNECT;

    BenchClient(ClientSpec spec, SessionSettings settings, boolean subscribeOnConnect, Deliveries deliveries, Outbox outbox,
            RunMeters meters) {
        this.spec = spec;
        this.settings = settings;
        this.subscribeOnConnect = subscribeOnConnect && spec.subscribes();
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.meters = meters;
    }

    CompletableFuture<BenchClient> ready() {
        return ready;
    }

    ClientSpec spec() {
        return spec;
    }

    Outbox outbox() {
        return outbox;
    }

    /** Starts publishing on this connection's event loop. */
    void startPublishing(long startNanos, Pacer pacer) {
        ctx.channel().eventLoop().execute(() -> {
            if (outbox.paced()) {
                pacer.add(ctx.channel().eventLoop(), outbox);
            }
            outbox.start(startNanos);
        });
    }

    CompletableFuture<Void> stopPublishing() {
        return CompletableFuture.runAsync(outbox::stop, ctx.channel().eventLoop());
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    /** The reason code of the broker's DISCONNECT (0 under 3.1.1, which has none), or {@link #NO_DISCONNECT}. */
    int disconnectReason() {
        return disconnectReason;
    }

    /** A newer connection with this client id is coming: the broker ending this one is no dropped connection. */
    void expectTakeover() {
        takeoverExpected = true;
    }

    /** Closes the socket without DISCONNECT, as a failing device would: the broker publishes the will. */
    CompletableFuture<Void> drop() {
        leaving = true;
        ctx.close();
        return closed;
    }

    /** SUBSCRIBE to one filter at the run's subscription QoS; completes with the SUBACK's reason code. */
    CompletableFuture<Integer> subscribe(String filter) {
        return request(packetId -> MqttMessageBuilders.subscribe().messageId(packetId)
                .addSubscription(settings.subscribeQos(), filter).build());
    }

    /** UNSUBSCRIBE from one filter; completes with the UNSUBACK's reason code (0 under 3.1.1). */
    CompletableFuture<Integer> unsubscribe(String filter) {
        return request(packetId -> MqttMessageBuilders.unsubscribe().messageId(packetId).addTopicFilter(filter).build());
    }

    private CompletableFuture<Integer> request(IntFunction<MqttMessage> packet) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        ctx.channel().eventLoop().execute(() -> {
            if (!ctx.channel().isActive()) {
                answer.completeExceptionally(new SetupException("connection of " + spec.clientId() + " closed"));
                return;
            }
            ctx.writeAndFlush(packet.apply(requests.add(answer)));
        });
        return answer;
    }

    /** Normal DISCONNECT, so the broker keeps a persistent session and sends no will. */
    CompletableFuture<Void> disconnect() {
        leaving = true;
        MqttMessage disconnect = settings.protocol() == ProtocolVersion.V5
                ? MqttMessageBuilders.disconnect().build()
                : MqttMessage.DISCONNECT;
        ctx.writeAndFlush(disconnect).addListener(f -> ctx.close());
        return closed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (outbox != null) {
            outbox.bind(ctx.channel());
        }
        MqttProperties properties = new MqttProperties();
        if (settings.protocol() == ProtocolVersion.V5 && settings.persistent()) {
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), SessionSettings.SESSION_EXPIRY_SECONDS));
        }
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(settings.protocol().netty())
                .clientId(spec.clientId())
                .cleanSession(!settings.persistent())
                .keepAlive(settings.keepAliveSeconds())
                .properties(properties);
        if (spec.willTopic() != null) {
            connect.willFlag(true).willQoS(MqttQoS.AT_LEAST_ONCE).willTopic(spec.willTopic())
                    .willMessage(spec.clientId().getBytes(StandardCharsets.UTF_8));
        }
        ctx.writeAndFlush(connect.build());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage message = (MqttMessage) msg;
        if (message.decoderResult().isFailure()) {
            fail("undecodable packet from broker: " + message.decoderResult().cause());
            ctx.close();
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        switch (type) {
            case CONNACK -> onConnAck((MqttConnAckMessage) message);
            case SUBACK -> onSubAck((MqttSubAckMessage) message);
            case UNSUBACK -> onUnsubAck((MqttUnsubAckMessage) message);
            case PUBLISH -> onPublish((MqttPublishMessage) message);
            case PUBACK, PUBCOMP -> {
                if (outbox != null) {
                    outbox.onCompleted(packetId(message));
                }
            }
            case PUBREC -> {
                if (outbox != null) {
                    outbox.onPubRec(packetId(message));
                }
                ctx.write(reply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId(message)));
            }
            case PUBREL -> {
                if (deliveries != null) {
                    deliveries.onRelease(packetId(message));
                }
                ctx.write(reply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId(message)));
            }
            case DISCONNECT -> {
                disconnectReason = message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                        ? Byte.toUnsignedInt(header.reasonCode()) : 0;
                ctx.close();
            }
            default -> {
                // PINGRESP needs nothing
            }
        }
    }

    private void onConnAck(MqttConnAckMessage connAck) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            fail("broker refused CONNECT of " + spec.clientId() + ": " + code);
            ctx.close();
            return;
        }
        MqttProperties.MqttProperty<?> receiveMaximum = connAck.variableHeader().properties()
                .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
        if (outbox != null && receiveMaximum != null) {
            outbox.limitWindow((Integer) receiveMaximum.value());
        }
        if (subscribeOnConnect) {
            MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(SUBSCRIBE_PACKET_ID);
            spec.filters().forEach(filter -> subscribe.addSubscription(settings.subscribeQos(), filter));
            ctx.writeAndFlush(subscribe.build());
        } else {
            ready.complete(this);
        }
    }

    private void onSubAck(MqttSubAckMessage subAck) {
        if (requests.complete(subAck.variableHeader().messageId(), highest(subAck.payload().reasonCodes()))) {
            return;
        }
        for (int code : subAck.payload().reasonCodes()) {
            if (code >= 0x80) {
                fail("broker refused SUBSCRIBE of " + spec.clientId() + " to " + spec.filters()
                        + ": reason code 0x" + Integer.toHexString(code));
                return;
            }
        }
        ready.complete(this);
    }

    private void onPublish(MqttPublishMessage publish) {
        try {
            MqttQoS qos = publish.fixedHeader().qosLevel();
            int packetId = publish.variableHeader().packetId();
            if (deliveries == null) {
                meters.unexpected.increment();
            } else {
                deliveries.onPublish(publish.payload(), qos == MqttQoS.EXACTLY_ONCE ? packetId : 0);
            }
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                ctx.write(reply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId));
            } else if (qos == MqttQoS.EXACTLY_ONCE) {
                ctx.write(reply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId));
            }
        } finally {
            publish.release();
        }
    }

    private void onUnsubAck(MqttUnsubAckMessage unsubAck) {
        // 3.1.1 UNSUBACKs carry no reason codes.
        List<Short> codes = unsubAck.payload() == null ? List.of() : unsubAck.payload().unsubscribeReasonCodes();
        requests.complete(unsubAck.variableHeader().messageId(), highest(codes));
    }

    private static int highest(List<? extends Number> reasonCodes) {
        return reasonCodes.stream().mapToInt(Number::intValue).max().orElse(0);
    }

    private static MqttMessage reply(MqttMessageType type, MqttQoS qos, int packetId) {
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(packetId));
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (outbox != null && ctx.channel().isWritable()) {
            outbox.pump();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.writeAndFlush(MqttMessage.PINGREQ);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(spec.clientId() + ": " + cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!leaving && !takeoverExpected && ready.isDone() && !ready.isCompletedExceptionally()) {
            meters.droppedConnections.increment();
        }
        fail("connection of " + spec.clientId() + " closed before it was ready");
        requests.failAll(new SetupException("connection of " + spec.clientId() + " closed"));
        closed.complete(null);
        if (outbox != null) {
            outbox.stop();
        }
    }

    private void fail(String reason) {
        ready.completeExceptionally(new SetupException(reason));
    }
}
