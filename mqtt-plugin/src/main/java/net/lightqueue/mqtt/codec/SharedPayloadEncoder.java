package net.lightqueue.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;

/**
 * Writes a PUBLISH whose payload is a large direct buffer as its header followed by that very
 * buffer. Netty's MqttEncoder copies every payload into the packet's own buffer, so one 1 MiB
 * message fanned out to a thousand connections that read slowly held a thousand copies of
 * direct memory; written this way they share one. Sits above the encoder; a smaller payload,
 * which costs less to copy than to send as a second buffer, goes on to it.
 */
@Sharable
public final class SharedPayloadEncoder extends MessageToMessageEncoder<MqttPublishMessage> {

    /** Payloads from this size on are worth sharing between connections. */
    public static final int MIN_SHARED_PAYLOAD = 16 * 1024;

    public static final SharedPayloadEncoder INSTANCE = new SharedPayloadEncoder();

    private SharedPayloadEncoder() {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof MqttPublishMessage publish && publish.payload().isDirect()
            && publish.payload().readableBytes() >= MIN_SHARED_PAYLOAD;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPublishMessage publish, List<Object> out) {
        ByteBuf payload = publish.payload();
        boolean v5 = CodecVersion.of(ctx.channel()) == MqttVersion.MQTT_5;
        ByteBuf header = PublishHeader.encode(ctx.alloc(), publish, payload.readableBytes(), v5);
        out.add(ctx.alloc().compositeDirectBuffer(2).addComponents(true, header, payload.retainedDuplicate()));
    }
}
