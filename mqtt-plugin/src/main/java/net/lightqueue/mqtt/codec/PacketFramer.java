package net.lightqueue.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.List;

/**
 * Cuts the byte stream into whole packets by their fixed header before Netty's MQTT decoder
 * sees them. Netty's decoder reads fields until it has them, also past the packet's remaining
 * length into the next packet, and checks the size only after the variable header: a PUBLISH
 * of remaining length 0 followed by a PINGREQ waited for 49152 bytes of topic, and a remaining
 * length of 268435455 waited for its body. Here a remaining length over 4 bytes is malformed
 * at once [MQTT-1.5.5-1], a packet larger than the maximum is refused before its body arrives,
 * and a packet whose fields run past its remaining length is malformed [MQTT-4.8.0-1]. Failures
 * reach the connection as a packet with a failed decoder result, as Netty's own do.
 */
public final class PacketFramer extends ByteToMessageDecoder {

    private final int maxPacketSize;
    /** Packets passed to the decoder that it has not turned into a message yet. */
    private int undecoded;
    private boolean failed;

    public PacketFramer(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /** What the decoder produced from a packet passed to it ({@link DecodedPackets} tells). */
    void decoded(Object msg) {
        undecoded--;
        if (msg instanceof MqttMessage message && message.decoderResult().isFailure()) {
            failed = true; // the decoder discards everything after a failure
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (undecoded > 0) {
            fail(in, out, malformed(new DecoderException("the fields of a packet run past its remaining length")));
            return;
        }
        if (in.readableBytes() < 2) {
            return;
        }
        int start = in.readerIndex();
        int remainingLength = 0;
        int lengthBytes = 0;
        int digit;
        do {
            if (1 + lengthBytes >= in.readableBytes()) {
                return; // the remaining length is not all here yet
            }
            digit = in.getUnsignedByte(start + 1 + lengthBytes);
            remainingLength |= (digit & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((digit & 0x80) != 0 && lengthBytes == 4) {
                fail(in, out, malformed(new DecoderException("remaining length longer than 4 bytes [MQTT-1.5.5-1]")));
                return;
            }
        } while ((digit & 0x80) != 0);
        int packetSize = PacketSize.wholePacket(remainingLength);
        if (packetSize > maxPacketSize) {
            // With its fixed header, so that a refused PUBLISH is counted as one.
            fail(in, out, new MqttMessage(knownHeader(in.getUnsignedByte(start), remainingLength), null, null,
                DecoderResult.failure(new TooLongFrameException("packet of " + packetSize + " bytes exceeds " + maxPacketSize))));
            return;
        }
        if (in.readableBytes() < packetSize) {
            return;
        }
        undecoded++;
        out.add(in.readRetainedSlice(packetSize));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        // The decoder handles a packet while it is passed on: one still undecoded waits for
        // bytes past its own end.
        if (undecoded > 0 && !failed) {
            failed = true;
            ctx.fireChannelRead(malformed(new DecoderException("the fields of a packet run past its remaining length")));
        }
    }

    private void fail(ByteBuf in, List<Object> out, MqttMessage failure) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(failure);
    }

    /** The fixed header the first byte gives, or null where its type or QoS is not valid. */
    private static MqttFixedHeader knownHeader(int firstByte, int remainingLength) {
        int type = firstByte >> 4;
        int qos = (firstByte >> 1) & 3;
        if (type == 0 || qos == 3) {
            return null;
        }
        return new MqttFixedHeader(MqttMessageType.valueOf(type), (firstByte & 0x08) != 0, MqttQoS.valueOf(qos),
            (firstByte & 0x01) != 0, remainingLength);
    }

    private static MqttMessage malformed(Exception cause) {
        return new MqttMessage(null, null, null, DecoderResult.failure(cause));
    }
}
