package net.lightqueue.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** Free loopback ports, for servers a test or the quickstart starts. */
public final class FreePorts {

    private static final int BELOW_EPHEMERAL_FROM = 20_000;
    private static final int BELOW_EPHEMERAL_TO = 32_000;

    private FreePorts() {
    }

    public static int one() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /**
     * A broker remoting port p whose companions are free too: the broker also listens on
     * p - 2 (fast remoting) and p + 1 (HA). Taken below Linux's ephemeral range (32768 up by
     * default): a port from that range can become the local port of any outgoing connection
     * before the broker binds it, or while a test restarts the broker on it.
     */
    public static int brokerPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(BELOW_EPHEMERAL_FROM, BELOW_EPHEMERAL_TO);
            if (IntStream.of(port - 2, port, port + 1).allMatch(FreePorts::isFree)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port with free neighbours for a broker");
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("0.0.0.0", port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
