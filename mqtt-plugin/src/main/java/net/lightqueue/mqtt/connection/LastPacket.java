package net.lightqueue.mqtt.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection with a last packet (a DISCONNECT or a refusing CONNACK) that the client
 * gets to read. Closing a socket with unread input makes the kernel answer with a reset, and a
 * client that is still sending (a flood past Receive Maximum, an oversized packet) may then lose
 * the packet before reading it. So the packet is flushed, the output is shut down (the client
 * reads the packet, then end of stream), and what the client still sends is read and discarded,
 * no longer decoded, until it closes its side, for at most {@link #DRAIN_MILLIS} or
 * {@link #DRAIN_BYTES}; then the socket closes.
 */
final class LastPacket extends ChannelInboundHandlerAdapter {

    static final long DRAIN_MILLIS = 2_000;
    static final long DRAIN_BYTES = 1 << 20;

    private long drained;

    private LastPacket() {
    }

    static void sendAndClose(Channel channel, Object packet) {
        channel.writeAndFlush(packet).addListener(written -> {
            if (written.isSuccess() && channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput().addListener(shut -> drain(channel));
            } else {
                channel.close();
            }
        });
    }

    private static void drain(Channel channel) {
        // In front of the decoder: the client's bytes are counted and dropped, never parsed.
        channel.pipeline().addFirst(new LastPacket());
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            drained += bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (drained > DRAIN_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client closed its side: nothing is lost by closing now
        }
        ctx.fireUserEventTriggered(event);
    }
}
