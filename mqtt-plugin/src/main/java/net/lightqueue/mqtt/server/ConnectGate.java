package net.lightqueue.mqtt.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds back what a client sends after its CONNECT until the server accepted it: the session is
 * settled (taken over, restored or created) asynchronously, and nothing may be handled before
 * CONNACK. Reading pauses meanwhile; packets already decoded wait here. Once an accepting
 * CONNACK is written, they are passed on in order, after the task that sent CONNACK, and the
 * gate leaves the pipeline; a refused client is closed and they are dropped.
 */
final class ConnectGate extends ChannelDuplexHandler {

    static final String NAME = "connect-gate";

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean connectSeen;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connectSeen) {
            held.add(msg);
            return;
        }
        if (msg instanceof MqttMessage message && message.decoderResult().isSuccess()
            && message.fixedHeader().messageType() == MqttMessageType.CONNECT) {
            connectSeen = true;
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttConnAckMessage connAck
            && connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            ctx.executor().execute(() -> open(ctx));
        }
        ctx.write(msg, promise);
    }

    private void open(ChannelHandlerContext ctx) {
        if (ctx.isRemoved()) {
            return;
        }
        while (!held.isEmpty()) {
            ctx.fireChannelRead(held.poll());
        }
        ctx.pipeline().remove(this); // what follows goes straight to the MQTT handler
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release); // closed before CONNACK
        held.clear();
    }
}
