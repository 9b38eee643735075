package net.lightqueue.mqtt.codec;

/** Sizes of whole MQTT packets, as MQTT 5 counts them for Maximum Packet Size. */
public final class PacketSize {

    private PacketSize() {
    }

    /** The whole packet: the type byte, the remaining length's own bytes, and the remaining length. */
    public static int wholePacket(int remainingLength) {
        return 1 + variableByteIntegerSize(remainingLength) + remainingLength;
    }

    public static int variableByteIntegerSize(int value) {
        int bytes = 1;
        while (value >= 128) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }
}
