package net.lightqueue.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * Writes a PUBLISH whose payload is a large direct buffer as its header followed by that very
 * buffer. Netty's MqttEncoder copies every payload into the packet's own buffer, so one 1 MiB
 * message fanned out to a thousand connections that read slowly held a thousand copies of
 * direct memory; written this way they share one. {@link PacketEncoder} hands it the PUBLISH
 * packets it {@link #shares}; a smaller payload, which costs less to copy than to send as a
 * second buffer, goes to Netty's encoder.
 */
public final class SharedPayloadEncoder {

    /** Payloads from this size on are worth sharing between connections. */
    public static final int MIN_SHARED_PAYLOAD = 16 * 1024;

    private SharedPayloadEncoder() {
    }

    /** Large direct payloads are shared; a heap payload would be copied to direct memory anyway. */
    static boolean shares(MqttPublishMessage publish) {
        return publish.payload().isDirect() && publish.payload().readableBytes() >= MIN_SHARED_PAYLOAD;
    }

    /** The packet: its header, then the payload itself, retained; the message stays the caller's to release. */
    static ByteBuf encode(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        ByteBuf payload = publish.payload();
        boolean v5 = CodecVersion.of(ctx.channel()) == MqttVersion.MQTT_5;
        ByteBuf header = PublishHeader.encode(ctx.alloc(), publish, payload.readableBytes(), v5);
        return ctx.alloc().compositeDirectBuffer(2).addComponents(true, header, payload.retainedDuplicate());
    }
}
