package net.lightqueue.mqtt.listener;

import io.netty.channel.ChannelPipeline;

/**
 * One port the MQTT server listens on, and how its connections reach the MQTT pipeline.
 *
 * @param name as the log and operators call it: tcp, tls, ws or wss
 * @param transport adds the handlers between the socket and the MQTT decoder/encoder
 */
public record Listener(String name, int port, Transport transport) {

    /** The handlers of one kind of listener; every listener then continues with the same MQTT handlers. */
    @FunctionalInterface
    public interface Transport {
        void addHandlers(ChannelPipeline pipeline);
    }
}
