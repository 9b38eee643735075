package net.lightqueue.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * MQTT bytes in WebSocket binary frames, both ways. The MQTT client hears that the channel is
 * active only once the upgrade is done, so its CONNECT goes out as the first frame.
 */
final class WebSocketMqttFrames extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back until HANDSHAKE_COMPLETE.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.fireChannelActive();
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf packet, List<Object> out) {
        out.add(new BinaryWebSocketFrame(packet.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            out.add(frame.content().retain());
        }
    }
}
