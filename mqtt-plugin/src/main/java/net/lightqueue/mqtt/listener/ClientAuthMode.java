package net.lightqueue.mqtt.listener;

import io.netty.handler.ssl.ClientAuth;
import java.util.Locale;

/** Whether TLS clients present a certificate (mqttTlsClientAuth). */
public enum ClientAuthMode {
    NONE(ClientAuth.NONE),
    /** Asked for, and checked against the trusted CAs when presented. */
    OPTIONAL(ClientAuth.OPTIONAL),
    REQUIRE(ClientAuth.REQUIRE);

    private final ClientAuth netty;

    ClientAuthMode(ClientAuth netty) {
        this.netty = netty;
    }

    ClientAuth netty() {
        return netty;
    }

    /** As written in broker.conf. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
