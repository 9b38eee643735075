package net.lightqueue.mqtt.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes.Disconnect;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import net.lightqueue.mqtt.codec.DecodeFailure;
import net.lightqueue.mqtt.codec.InputProblem;
import net.lightqueue.mqtt.codec.MqttStrings;
import net.lightqueue.mqtt.connect.ConnectProcessor;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.connection.ServerStopping;
import net.lightqueue.mqtt.publish.InboundPublishes;
import net.lightqueue.mqtt.publish.RefusedPublishes;
import net.lightqueue.mqtt.session.Ending;
import net.lightqueue.mqtt.session.Session;
import net.lightqueue.mqtt.session.SessionLifecycle;

/**
 * The MQTT side of one channel: checks what the decoder produced, enforces "CONNECT first and
 * only once", and routes each packet to the part of the server that handles it. Packets sent
 * after CONNECT reach it after CONNACK ({@link ConnectGate}). A connection has
 * mqttConnectTimeoutSeconds from its start to complete its CONNECT, and may then stay silent for
 * one and a half keep alive periods.
 */
final class MqttConnectionHandler extends KeepAliveHandler {

    private final ConnectionServices services;
    private MqttConnection connection;
    private ConnectedClient client;
    /** Made by the client's first PUBLISH or PUBREL: a connection that only subscribes never needs one. */
    private InboundPublishes publishes;
    /** How the connection ends for its session: abnormally unless the client says DISCONNECT. */
    private Ending ending = Ending.ABNORMAL;

    MqttConnectionHandler(ConnectionServices services) {
        this.services = services;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new MqttConnection(ctx.channel());
        client = new ConnectedClient(connection);
        // From the connection's start, not from its last byte: trickling a CONNECT in cannot
        // hold a connection open (a TLS or WebSocket handshake counts against it too).
        watchDeadline(ctx, TimeUnit.SECONDS.toNanos(services.settings().connectTimeoutSeconds()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage message = (MqttMessage) msg;
        try {
            handle(ctx, message);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void handle(ChannelHandlerContext ctx, MqttMessage message) {
        if (connection.closing()) {
            return;
        }
        if (message.decoderResult().isFailure()) {
            onDecodeFailure(message);
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        InputProblem malformed = type == MqttMessageType.CONNECT ? null : MqttStrings.propertiesProblem(message);
        if (malformed != null) {
            if (type == MqttMessageType.PUBLISH) {
                services.publishing().refused().refused(RefusedPublishes.Reason.MALFORMED);
            }
            connection.disconnect(Disconnect.MALFORMED_PACKET.byteValue(), type + " " + malformed);
            return;
        }
        if (!connection.connected()) {
            if (type == MqttMessageType.CONNECT) {
                onConnect(ctx, (MqttConnectMessage) message);
            } else {
                connection.drop("first packet was " + type + ", not CONNECT [MQTT-3.1.0-1]");
            }
            return;
        }
        Session session = client.session();
        switch (type) {
            case PUBLISH -> publishes(session).onPublish((MqttPublishMessage) message);
            case PUBREL -> publishes(session).onPubRel(packetId(message));
            case PUBACK -> session.onPubAck(packetId(message));
            case PUBREC -> session.onPubRec(packetId(message), reasonCode(message));
            case PUBCOMP -> session.onPubComp(packetId(message));
            case SUBSCRIBE -> services.subscriptions().subscribe(connection, session, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> services.subscriptions().unsubscribe(connection, session, (MqttUnsubscribeMessage) message);
            case PINGREQ -> connection.send(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> onDisconnect(message);
            case CONNECT -> connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(), "second CONNECT [MQTT-3.1.0-2]");
            default -> connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(), "unexpected " + type + " from a client");
        }
    }

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage message) {
        ConnectProcessor.Accepted accepted = services.connects().connect(connection, message);
        if (accepted == null) {
            return;
        }
        if (accepted.keepAliveSeconds() == 0) {
            unwatchSilence(ctx); // keep alive 0 turns the mechanism off (section 3.1.2.10)
        } else {
            // The server allows one and a half keep alive periods of silence [MQTT-3.1.2-22].
            watchSilence(ctx, TimeUnit.MILLISECONDS.toNanos(accepted.keepAliveSeconds() * 1500L));
        }
        ConnectedClient previous = services.registry().register(client);
        takeOver(previous)
            .thenCompose(inherited -> services.sessions().open(ctx.channel().eventLoop(), accepted.session(), inherited))
            .whenCompleteAsync((opened, failure) -> start(ctx, accepted, opened, failure), ctx.channel().eventLoop());
    }

    /** Ends the previous connection of the client id on its own event loop and takes its session [MQTT-3.1.4-3]. */
    static CompletableFuture<Session> takeOver(ConnectedClient previous) {
        CompletableFuture<Session> taken = new CompletableFuture<>();
        if (previous == null) {
            taken.complete(null);
            return taken;
        }
        try {
            previous.connection().channel().eventLoop().execute(() -> {
                Session session = previous.takeSession();
                if (session != null) {
                    session.detach();
                }
                previous.connection().disconnect(Disconnect.SESSION_TAKEN_OVER.byteValue(),
                    "taken over by a new connection with the same client id");
                taken.complete(session);
            });
        } catch (RejectedExecutionException stopping) {
            taken.complete(null); // its event loop is gone, and its session was ended with it
        }
        return taken;
    }

    private void start(ChannelHandlerContext ctx, ConnectProcessor.Accepted accepted, SessionLifecycle.Opened opened,
                       Throwable failure) {
        boolean v5 = connection.isV5();
        if (failure != null) {
            connection.refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "session state not written: " + failure);
        } else if (opened.refused()) {
            connection.refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "mqttMaxSessions reached");
        } else if (!ctx.channel().isActive()) {
            services.sessions().closed(opened.session(), Ending.ABNORMAL); // gone while its session was settled
        } else {
            Session session = opened.session();
            client.session(session);
            if (opened.sessionPresent()) {
                services.subscriptions().dropRevoked(connection, session);
            }
            connection.send(accepted.connAck(opened.sessionPresent()));
            session.attach(connection);
        }
    }

    private InboundPublishes publishes(Session session) {
        if (publishes == null) {
            publishes = new InboundPublishes(connection, services.publishing(), session.received());
        }
        return publishes;
    }

    /** A normal DISCONNECT deletes the will, unless a v5 client asks for it with 0x04 [MQTT-3.14.4-3]. */
    private void onDisconnect(MqttMessage message) {
        int reason = 0;
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reason = header.reasonCode() & 0xFF;
            properties = header.properties();
        }
        long expiry = -1;
        if (properties.getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value()) instanceof IntegerProperty requested) {
            if (client.session().expirySeconds() == 0 && requested.value() != 0) {
                connection.disconnect(Disconnect.PROTOCOL_ERROR.byteValue(),
                    "DISCONNECT sets a session expiry after CONNECT set none [MQTT-3.14.2-2]");
                return;
            }
            expiry = services.settings().cappedSessionExpiry(Integer.toUnsignedLong(requested.value()));
        }
        ending = new Ending(reason == 0x04, expiry);
        connection.closeQuietly();
    }

    private void onDecodeFailure(MqttMessage message) {
        Throwable cause = message.decoderResult().cause();
        DecodeFailure failure = DecodeFailure.of(cause);
        // The decoder keeps the fixed header when the failure came after it.
        if (message.fixedHeader() != null && message.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
            services.publishing().refused().refused(switch (failure) {
                case PACKET_TOO_LARGE -> RefusedPublishes.Reason.PACKET_TOO_LARGE;
                case TOPIC_NAME_INVALID -> RefusedPublishes.Reason.TOPIC_REFUSED;
                default -> RefusedPublishes.Reason.MALFORMED;
            });
        }
        String why = "undecodable packet: " + cause.getMessage();
        if (connection.connected()) {
            connection.disconnect(failure.reasonCode(), why);
        } else if (failure == DecodeFailure.UNSUPPORTED_PROTOCOL_VERSION) {
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, why + " [MQTT-3.1.2-2]");
        } else if (failure == DecodeFailure.CLIENT_ID_REJECTED) {
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, why);
        } else {
            connection.drop(why);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Session session = client.session();
        if (ctx.channel().isWritable() && session != null) {
            session.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    void allowanceExceeded() {
        if (connection.connected()) {
            connection.disconnect(Disconnect.KEEP_ALIVE_TIMEOUT.byteValue(), "no packet within 1.5 keep alive periods");
        } else {
            connection.drop("no complete CONNECT within mqttConnectTimeoutSeconds");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ServerStopping.INSTANCE) {
            connection.disconnect(Disconnect.SERVER_SHUTTING_DOWN.byteValue(), "the MQTT server stops serving");
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        unwatchSilence(ctx);
        Session session = client.takeSession();
        if (session != null) {
            // Queued before the client id is free, so a reconnect finds what this end writes.
            services.sessions().closed(session, ending);
        }
        services.registry().remove(client);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are how clients leave; anything else is still the client's
        // connection only, so it is logged in one line and closed. A connection that is
        // already ending closes on its own (after its last packet was read).
        if (connection.closing()) {
            return;
        }
        if (cause instanceof IOException) {
            connection.closeQuietly();
        } else {
            connection.drop("connection error: " + cause);
        }
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    private static byte reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
    }
}
