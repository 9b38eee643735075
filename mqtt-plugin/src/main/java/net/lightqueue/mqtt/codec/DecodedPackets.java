package net.lightqueue.mqtt.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits right after Netty's MQTT decoder, before anything waits, and shows each packet it
 * produced to the three that watch its output: the {@link PacketFramer}, which counts what the
 * decoder has not turned into a packet yet, the {@link CodecVersion}, which keeps the protocol
 * version of the first CONNECT, and the {@link PacketTraffic}. One handler for all saves a
 * pipeline context per connection for each.
 */
public final class DecodedPackets extends ChannelInboundHandlerAdapter {

    private final PacketFramer framer;
    private final CodecVersion version = new CodecVersion();
    private final PacketTraffic traffic;

    /** @param framer the framer in front of the decoder */
    public DecodedPackets(PacketFramer framer, PacketTraffic traffic) {
        this.framer = framer;
        this.traffic = traffic;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        framer.decoded(msg);
        version.decoded(ctx.channel(), msg);
        traffic.received(msg);
        ctx.fireChannelRead(msg);
    }
}
