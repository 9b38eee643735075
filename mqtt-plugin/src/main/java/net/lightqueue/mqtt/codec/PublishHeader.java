package net.lightqueue.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.nio.charset.StandardCharsets;

/**
 * The part of a PUBLISH packet before its payload, sized and written byte for byte as Netty's
 * MqttEncoder writes it, for the properties a PUBLISH carries (MQTT 5 section 3.3.2.3).
 */
public final class PublishHeader {

    private PublishHeader() {
    }

    /**
     * The size of the whole encoded PUBLISH, to respect the client's Maximum Packet Size [MQTT-3.1.2-24].
     *
     * @throws IllegalArgumentException if a string is too long to be encoded
     */
    public static int packetSize(String topicName, int qos, MqttProperties properties, int payloadLength, boolean v5) {
        return PacketSize.wholePacket(variableHeaderLength(topicName, qos, properties, v5) + payloadLength);
    }

    /** The fixed and variable header of the PUBLISH, for a payload of {@code payloadLength} bytes written after it. */
    public static ByteBuf encode(ByteBufAllocator allocator, MqttPublishMessage publish, int payloadLength, boolean v5) {
        String topicName = publish.variableHeader().topicName();
        int qos = publish.fixedHeader().qosLevel().value();
        MqttProperties properties = publish.variableHeader().properties();
        int variableHeader = variableHeaderLength(topicName, qos, properties, v5);
        int remaining = variableHeader + payloadLength;
        ByteBuf out = allocator.directBuffer(1 + PacketSize.variableByteIntegerSize(remaining) + variableHeader);
        out.writeByte(0x30 | (publish.fixedHeader().isDup() ? 0x08 : 0) | qos << 1
            | (publish.fixedHeader().isRetain() ? 0x01 : 0));
        writeVariableByteInteger(out, remaining);
        writeString(out, topicName);
        if (qos > 0) {
            out.writeShort(publish.variableHeader().packetId());
        }
        if (v5) {
            writeVariableByteInteger(out, propertiesLength(properties));
            writeProperties(out, properties);
        }
        return out;
    }

    private static int variableHeaderLength(String topicName, int qos, MqttProperties properties, boolean v5) {
        int length = 2 + utf8(topicName) + (qos > 0 ? 2 : 0);
        if (v5) {
            int propertiesLength = propertiesLength(properties);
            length += PacketSize.variableByteIntegerSize(propertiesLength) + propertiesLength;
        }
        return length;
    }

    private static int propertiesLength(MqttProperties properties) {
        int length = 0;
        for (MqttProperty<?> property : properties.listAll()) {
            int id = property.propertyId();
            if (property instanceof UserProperties user) {
                for (StringPair pair : user.value()) {
                    length += 1 + 2 + utf8(pair.key) + 2 + utf8(pair.value);
                }
            } else if (property instanceof StringProperty text) {
                length += 1 + 2 + utf8(text.value());
            } else if (property instanceof BinaryProperty binary) {
                length += 1 + 2 + binary.value().length;
            } else if (property instanceof IntegerProperty integer) {
                length += 1 + integerLength(id, integer.value());
            }
        }
        return length;
    }

    private static void writeProperties(ByteBuf out, MqttProperties properties) {
        for (MqttProperty<?> property : properties.listAll()) {
            int id = property.propertyId();
            if (property instanceof UserProperties user) {
                for (StringPair pair : user.value()) {
                    out.writeByte(id);
                    writeString(out, pair.key);
                    writeString(out, pair.value);
                }
            } else if (property instanceof StringProperty text) {
                out.writeByte(id);
                writeString(out, text.value());
            } else if (property instanceof BinaryProperty binary) {
                out.writeByte(id);
                out.writeShort(binary.value().length);
                out.writeBytes(binary.value());
            } else if (property instanceof IntegerProperty integer) {
                out.writeByte(id);
                writeInteger(out, id, integer.value());
            }
        }
    }

    private static int integerLength(int id, int value) {
        if (id == MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()) {
            return 1;
        }
        if (id == MqttPropertyType.TOPIC_ALIAS.value()) {
            return 2;
        }
        if (id == MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) {
            return PacketSize.variableByteIntegerSize(value);
        }
        return 4;
    }

    private static void writeInteger(ByteBuf out, int id, int value) {
        if (id == MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) {
            writeVariableByteInteger(out, value);
            return;
        }
        switch (integerLength(id, value)) {
            case 1 -> out.writeByte(value);
            case 2 -> out.writeShort(value);
            default -> out.writeInt(value);
        }
    }

    private static void writeVariableByteInteger(ByteBuf out, int value) {
        int rest = value;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            out.writeByte(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
    }

    private static void writeString(ByteBuf out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    /** The UTF-8 length of a string of the packet; longer than an MQTT string can be is an error. */
    private static int utf8(String text) {
        int length = text.getBytes(StandardCharsets.UTF_8).length;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("a string of " + length + " UTF-8 bytes, more than MQTT's 65535");
        }
        return length;
    }
}
