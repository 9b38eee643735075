package net.lightqueue.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Free loopback ports, for servers a test or the quickstart starts. Taken below Linux's
 * ephemeral range (32768 up by default): a port from that range can become the local port of
 * any outgoing connection before the server binds it, or while a test restarts a server on it.
 * Ports are handed out walking the range from a random start, so one JVM never hands out the
 * same port twice and test JVMs running side by side rarely meet.
 */
public final class FreePorts {

    private static final int BELOW_EPHEMERAL_FROM = 20_000;
    private static final int BELOW_EPHEMERAL_TO = 32_000;
    private static final int RANGE = BELOW_EPHEMERAL_TO - BELOW_EPHEMERAL_FROM;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGE));

    private FreePorts() {
    }

    public static int one() {
        return firstFree(1, FreePorts::isFree);
    }

    /**
     * A broker remoting port p whose companions are free too: the broker also listens on
     * p - 2 (fast remoting) and p + 1 (HA).
     */
    public static int brokerPort() {
        return firstFree(4, port -> IntStream.of(port - 2, port, port + 1).allMatch(FreePorts::isFree));
    }

    /** The next port of the walk, reserving width ports for it, whose check passes. */
    private static int firstFree(int width, IntPredicate free) {
        for (int attempt = 0; attempt < RANGE / width; attempt++) {
            int port = BELOW_EPHEMERAL_FROM + 2 + Math.floorMod(NEXT.getAndAdd(width), RANGE - 3);
            if (free.test(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port below the ephemeral range");
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
