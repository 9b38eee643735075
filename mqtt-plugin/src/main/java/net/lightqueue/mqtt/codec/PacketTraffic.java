package net.lightqueue.mqtt.codec;

/**
 * Is shown every packet a connection's codec decodes and every packet it is given to encode,
 * on the connection's event loop, so that traffic can be counted without a pipeline stage of
 * its own.
 */
public interface PacketTraffic {

    /** What the decoder produced: an MQTT packet, possibly one that failed to decode. */
    void received(Object packet);

    /** What is about to be encoded and written. */
    void sent(Object packet);
}
