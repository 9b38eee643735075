package net.lightqueue.bench;

import io.netty.handler.codec.mqtt.MqttQoS;

/** How every client of a run connects and subscribes. */
record SessionSettings(ProtocolVersion protocol, int keepAliveSeconds, MqttQoS subscribeQos, boolean persistent) {
    /** v5 persistent sessions expire after this many seconds offline, so a run leaves nothing behind for long. */
    static final int SESSION_EXPIRY_SECONDS = 600;

    static SessionSettings of(BenchOptions options, boolean persistent) {
        return new SessionSettings(options.protocol(), options.keepAliveSeconds(), options.subscribeQos(), persistent);
    }
}
