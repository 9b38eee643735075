package net.lightqueue.mqtt.codec;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

/**
 * Keeps the protocol version Netty's MQTT codec encodes and decodes a channel's packets with at
 * that of the connection's first CONNECT. The codec takes it from every CONNECT it decodes, so
 * a second CONNECT of another version (a protocol error, possibly in the same read as the
 * first) would switch how everything the server still sends is encoded, its CONNACK and its
 * DISCONNECT included. Sees each packet right after the decoder, before anything waits
 * ({@link DecodedPackets} shows them); looks at CONNECT packets only.
 */
public final class CodecVersion {

    /** Where Netty's MqttCodecUtil keeps the version; the codec has no public accessor for it. */
    private static final AttributeKey<MqttVersion> KEY = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private MqttVersion first;

    /** The version the channel's packets are encoded with: Netty's default, 3.1.1, until a CONNECT says otherwise. */
    public static MqttVersion of(Channel channel) {
        MqttVersion version = channel.attr(KEY).get();
        return version == null ? MqttVersion.MQTT_3_1_1 : version;
    }

    CodecVersion() {
    }

    /** A packet the decoder produced on {@code channel}. */
    void decoded(Channel channel, Object msg) {
        if (first != null && mayHaveChangedVersion(msg)) {
            channel.attr(KEY).set(first);
        } else if (msg instanceof MqttConnectMessage connect && connect.decoderResult().isSuccess()) {
            MqttConnectVariableHeader header = connect.variableHeader();
            first = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        }
    }

    /** A CONNECT, or a packet that failed to decode: it may have been a CONNECT cut off after its version. */
    private static boolean mayHaveChangedVersion(Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            return false;
        }
        return message.decoderResult().isFailure() || message.fixedHeader() != null
            && message.fixedHeader().messageType() == MqttMessageType.CONNECT;
    }
}
