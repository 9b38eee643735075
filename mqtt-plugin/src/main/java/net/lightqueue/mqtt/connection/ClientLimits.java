package net.lightqueue.mqtt.connection;

/**
 * What a client allows the server to send it (MQTT 5 CONNECT properties; v3 clients get the
 * server's defaults).
 *
 * @param receiveMaximum QoS 1/2 publishes the server may have unacknowledged at once
 * @param maximumPacketSize largest packet the client accepts, in bytes
 * @param topicAliasMaximum highest topic alias the server may use towards the client (0 = none)
 */
public record ClientLimits(int receiveMaximum, int maximumPacketSize, int topicAliasMaximum) {

    /** MQTT 5 default when the client sends no Maximum Packet Size: the protocol's own limit. */
    public static final int PROTOCOL_MAXIMUM_PACKET_SIZE = 268_435_460;
}
