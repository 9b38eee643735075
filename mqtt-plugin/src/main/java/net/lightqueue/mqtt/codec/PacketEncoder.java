package net.lightqueue.mqtt.codec;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * Encodes every packet a connection sends, in one pipeline stage: a PUBLISH with a large direct
 * payload by {@link SharedPayloadEncoder}, anything else by Netty's encoder, each shown to the
 * {@link PacketTraffic} first. Three stages (two encoders and a counter) were a pipeline context
 * each per connection.
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
        if (msg instanceof MqttPublishMessage publish && SharedPayloadEncoder.shares(publish)) {
            try {
                ctx.write(SharedPayloadEncoder.encode(ctx, publish), promise);
            } finally {
                publish.release(); // the packet holds the payload now
            }
        } else {
            // A sharable encoder that uses the context only to allocate and to pass its output on.
            MqttEncoder.INSTANCE.write(ctx, msg, promise);
        }
    }
}
