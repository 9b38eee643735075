package net.lightqueue.mqtt.codec;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttEncoder;

/**
 * Encodes every packet a connection sends, in one pipeline stage: a PUBLISH with a large direct
 * payload through {@link SharedPayloadEncoder}, anything else through Netty's encoder, each
 * shown to the {@link PacketTraffic} first. Three stages (two encoders and a counter) were a
 * pipeline context each per connection.
 */
@Sharable
public final class PacketEncoder extends ChannelOutboundHandlerAdapter {

    private final PacketTraffic traffic;

    public PacketEncoder(PacketTraffic traffic) {
        this.traffic = traffic;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        traffic.sent(msg);
        // Both are sharable encoders that use the context only to allocate and to pass their output on.
        if (SharedPayloadEncoder.INSTANCE.acceptOutboundMessage(msg)) {
            SharedPayloadEncoder.INSTANCE.write(ctx, msg, promise);
        } else {
            MqttEncoder.INSTANCE.write(ctx, msg, promise);
        }
    }
}
