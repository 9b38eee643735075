package net.lightqueue.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The runner drives brokers on this machine only: it can open tens of thousands of connections
 * at full speed, which must never be pointed at someone else's host by a typo.
 * Connections are spread over source addresses 127.0.0.1, 127.0.0.2, ... because one source
 * address has only about 28,000 ephemeral ports towards one target.
 */
final class LoopbackAddresses {
    /** Comfortably below the default ephemeral port range (32768-60999) of one source address. */
    static final int CONNECTIONS_PER_SOURCE = 25_000;

    private LoopbackAddresses() {
    }

    static InetSocketAddress target(String host, int port) {
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new SetupException("cannot resolve broker host '" + host + "'", e);
        }
        for (InetAddress address : resolved) {
            if (!address.isLoopbackAddress()) {
                throw new SetupException("refusing non-loopback target " + host + " (" + address.getHostAddress()
                        + "): the benchmark runner only connects to brokers on this machine (127.0.0.0/8 or ::1)");
            }
        }
        return new InetSocketAddress(resolved[0], port);
    }

    /** Source address for the n-th connection, or null to let the kernel choose (IPv6 loopback). */
    static InetSocketAddress source(InetSocketAddress target, int connection, int sourceCount) {
        if (sourceCount <= 1 || target.getAddress().getAddress().length != 4) {
            return null;
        }
        int host = 1 + connection % sourceCount;
        byte[] ip = {127, 0, (byte) (host >> 8), (byte) host};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static int sourcesFor(int connections) {
        return Math.max(1, (connections + CONNECTIONS_PER_SOURCE - 1) / CONNECTIONS_PER_SOURCE);
    }
}
