package net.lightqueue.mqtt.codec;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;

/** What a decoder failure means for the client: the MQTT 5 reason code it is told. */
public enum DecodeFailure {
    PACKET_TOO_LARGE(MqttReasonCodes.Disconnect.PACKET_TOO_LARGE.byteValue()),
    UNSUPPORTED_PROTOCOL_VERSION((byte) 0x84),
    CLIENT_ID_REJECTED((byte) 0x85),
    TOPIC_NAME_INVALID(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID.byteValue()),
    MALFORMED(MqttReasonCodes.Disconnect.MALFORMED_PACKET.byteValue());

    private final byte reasonCode;

    DecodeFailure(byte reasonCode) {
        this.reasonCode = reasonCode;
    }

    public byte reasonCode() {
        return reasonCode;
    }

    public static DecodeFailure of(Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            return PACKET_TOO_LARGE;
        }
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            return UNSUPPORTED_PROTOCOL_VERSION;
        }
        if (cause instanceof MqttIdentifierRejectedException) {
            return CLIENT_ID_REJECTED;
        }
        // Netty reports a wildcard in a PUBLISH topic only through its message text.
        String message = cause.getMessage();
        if (message != null && message.startsWith("invalid publish topic name")) {
            return TOPIC_NAME_INVALID;
        }
        return MALFORMED;
    }
}
