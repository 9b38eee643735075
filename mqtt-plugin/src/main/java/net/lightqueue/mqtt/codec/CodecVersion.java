package net.lightqueue.mqtt.codec;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * The protocol version Netty's MQTT codec encodes and decodes a channel's packets with. The
 * codec takes it from every CONNECT it decodes, so a second CONNECT of another version (a
 * protocol error) would switch how everything the server still sends on that connection is
 * encoded, its CONNACK and its DISCONNECT included; the accepted version is put back.
 */
public final class CodecVersion {

    /** Where Netty's MqttCodecUtil keeps the version; the codec has no public accessor for it. */
    private static final AttributeKey<MqttVersion> KEY = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private CodecVersion() {
    }

    /** Makes the codec use {@code accepted} again if a decoded CONNECT changed it. */
    public static void keep(Channel channel, MqttVersion accepted) {
        Attribute<MqttVersion> version = channel.attr(KEY);
        if (version.get() != accepted) {
            version.set(accepted);
        }
    }
}
