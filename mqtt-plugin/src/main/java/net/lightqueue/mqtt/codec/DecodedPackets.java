package net.lightqueue.mqtt.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits right after Netty's MQTT decoder, before anything waits, and shows each packet it
 * produced to the two that watch its output: the {@link PacketFramer}, which counts what the
 * decoder has not turned into a packet yet, and the {@link CodecVersion}, which keeps the
 * protocol version of the first CONNECT. One handler for both saves a pipeline context per
 * connection.
 */
public final class DecodedPackets extends ChannelInboundHandlerAdapter {

    private final PacketFramer framer;
    private final CodecVersion version = new CodecVersion();

    /** @param framer the framer in front of the decoder */
    public DecodedPackets(PacketFramer framer) {
        this.framer = framer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        framer.decoded(msg);
        version.decoded(ctx.channel(), msg);
        ctx.fireChannelRead(msg);
    }
}
