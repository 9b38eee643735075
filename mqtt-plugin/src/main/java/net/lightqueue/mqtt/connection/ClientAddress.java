package net.lightqueue.mqtt.connection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Where a client connects from: the address a PROXY protocol header names, else the socket's peer. */
public final class ClientAddress {

    /** Set by the listener when a load balancer in front of it tells the client's real address. */
    public static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("mqtt.proxiedClientAddress");

    private ClientAddress() {
    }

    public static SocketAddress of(Channel channel) {
        // attr() would add an empty attribute to every connection without a PROXY header
        return channel.hasAttr(PROXIED) ? channel.attr(PROXIED).get() : channel.remoteAddress();
    }
}
