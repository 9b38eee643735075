package net.lightqueue.mqtt.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;

/**
 * One port the MQTT server listens on, and how its connections reach the MQTT pipeline.
 *
 * @param name as the log and operators call it: tcp, tls, ws or wss
 * @param transport adds the handlers between the socket and the MQTT decoder/encoder
 */
public record Listener(String name, int port, Transport transport) {

    /** On each listening channel: the listener whose connections it accepts. */
    public static final AttributeKey<Listener> ATTRIBUTE = AttributeKey.valueOf("mqtt.listener");

    /** The handlers of one kind of listener; every listener then continues with the same MQTT handlers. */
    @FunctionalInterface
    public interface Transport {
        void addHandlers(ChannelPipeline pipeline);
    }

    /** The listener that accepted {@code connection}; null for a channel no listener accepted (in-VM). */
    public static Listener of(Channel connection) {
        return connection.parent() == null ? null : connection.parent().attr(ATTRIBUTE).get();
    }
}
