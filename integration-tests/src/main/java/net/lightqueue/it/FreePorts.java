package net.lightqueue.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;

/** Free loopback ports, for servers a test or the quickstart starts. */
public final class FreePorts {

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
     * p - 2 (fast remoting) and p + 1 (HA).
     */
    public static int brokerPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = one();
            if (port > 1026 && port < 65534 && IntStream.of(port - 2, port + 1).allMatch(FreePorts::isFree)) {
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
