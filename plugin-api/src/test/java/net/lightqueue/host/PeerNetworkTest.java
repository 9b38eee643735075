package net.lightqueue.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.host.peer.PeerRequestCodes;
import net.lightqueue.host.peer.PeerUnavailableException;
import net.lightqueue.host.testing.InProcessBroker;
import net.lightqueue.host.testing.InProcessBroker.Placement;
import net.lightqueue.host.testing.InProcessNameServer;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brokers of one name server find the other groups of their cluster that run the host, and call them. */
class PeerNetworkTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final long CALL_TIMEOUT_MILLIS = 5_000;

    @TempDir
    Path dir;

    @AfterEach
    void forgetInstances() {
        RecordingPlugin.INSTANCES.clear();
    }

    @Test
    void theHostedMastersOfOneClusterArePeersThatCallEachOther() throws Exception {
        try (InProcessNameServer nameServer = InProcessNameServer.start(dir.resolve("namesrv"));
             InProcessBroker a = start("broker-a", Placement.member(nameServer.address(), "cluster-1", "broker-a"));
             InProcessBroker other = start("broker-x", Placement.member(nameServer.address(), "cluster-2", "broker-x"));
             InProcessBroker plain = start("broker-n",
                 Placement.member(nameServer.address(), "cluster-1", "broker-n").withoutHost())) {
            Peer peerA = new Peer("broker-a", a.controller().getBrokerAddr());
            Peer peerB;
            RecordingPlugin pluginA = pluginOf(a);
            try (InProcessBroker b = start("broker-b", Placement.member(nameServer.address(), "cluster-1", "broker-b"))) {
                peerB = new Peer("broker-b", b.controller().getBrokerAddr());
                PeerNetwork networkA = a.host().peers();
                PeerNetwork networkB = b.host().peers();
                await(() -> Set.copyOf(networkA.peers()), Set.of(peerB), "broker-a's peers");
                await(() -> Set.copyOf(networkB.peers()), Set.of(peerA), "broker-b's peers");
                assertEquals("broker-a", networkA.selfName());
                assertEquals(List.of("joined:broker-b@" + peerB.address()), pluginA.peerEvents,
                    "a broker that starts later joins, once");

                assertEquals("broker-a:from a", text(networkA.call(peerB, RecordingPlugin.ECHO, bytes("from a"),
                    CALL_TIMEOUT_MILLIS).get(30, TimeUnit.SECONDS)));
                assertEquals("broker-b:from b", text(networkB.call(peerA, RecordingPlugin.ECHO, bytes("from b"),
                    CALL_TIMEOUT_MILLIS).get(30, TimeUnit.SECONDS)));

                assertEquals("broker-a:", text(networkA.call(peerB, RecordingPlugin.ECHO, new byte[0],
                    CALL_TIMEOUT_MILLIS).get(30, TimeUnit.SECONDS)), "an empty request is an empty body, not null");

                PeerUnavailableException refused = failure(networkA.call(peerB, RecordingPlugin.REFUSE, bytes("x"),
                    CALL_TIMEOUT_MILLIS));
                assertTrue(refused.getMessage().contains("peer broker-b at " + peerB.address()), refused.getMessage());
                assertTrue(refused.getMessage().endsWith(": no recording of x"), refused.getMessage());

                networkA.tell(peerB, RecordingPlugin.NOTE, bytes("first"));
                networkA.tell(peerB, RecordingPlugin.NOTE, bytes("second"));
                // Handled on a pool: one-way messages carry no order between them.
                await(() -> Set.copyOf(pluginOf(b).peerMessages), Set.of("broker-a:first", "broker-a:second"),
                    "broker-b's notes");
                assertEquals(2, pluginOf(b).peerMessages.size(), "each note once");

                assertStrangersAreRefused(b, peerA);

                assertThrows(IllegalStateException.class, () -> networkA.handle(RecordingPlugin.ECHO + 10,
                    (from, request) -> null), "handlers are registered during the plugins' start only");
                assertThrows(IllegalArgumentException.class, () -> networkA.handle(42, (from, request) -> null));
            }

            // broker-b is gone from the name server once it stopped: it unregistered, and its connection closed.
            PeerUnavailableException unreachable = failure(a.host().peers().call(peerB, RecordingPlugin.ECHO,
                bytes("anyone?"), CALL_TIMEOUT_MILLIS));
            assertTrue(unreachable.getMessage().contains("peer broker-b at " + peerB.address()), unreachable.getMessage());
            a.host().peers().tell(peerB, RecordingPlugin.NOTE, bytes("lost"));
            await(() -> List.copyOf(a.host().peers().peers()), List.of(), "broker-a's peers once broker-b stopped");
            assertEquals(List.of("joined:broker-b@" + peerB.address(), "left:broker-b@" + peerB.address()),
                pluginA.peerEvents, "neither the broker without the host nor the one of another cluster was ever a peer");

            try (InProcessBroker movedB = start("broker-b-moved",
                Placement.member(nameServer.address(), "cluster-1", "broker-b"))) {
                Peer peerMovedB = new Peer("broker-b", movedB.controller().getBrokerAddr());
                await(() -> List.copyOf(a.host().peers().peers()), List.of(peerMovedB), "broker-a's peers");
                assertEquals(List.of("joined:broker-b@" + peerB.address(), "left:broker-b@" + peerB.address(),
                    "joined:broker-b@" + peerMovedB.address()), pluginA.peerEvents, "the group came back on another broker");
                assertEquals("broker-a:again", text(a.host().peers().call(peerMovedB, RecordingPlugin.ECHO, bytes("again"),
                    CALL_TIMEOUT_MILLIS).get(30, TimeUnit.SECONDS)));
            }
            assertEquals(List.of(), List.copyOf(other.host().peers().peers()), "alone in its cluster");
            assertEquals(List.of(), pluginOf(other).peerEvents);
            assertEquals(Set.of("broker-a", "broker-n"),
                a.controller().getBrokerOuterAPI().getBrokerClusterInfo().getClusterAddrTable().get("cluster-1"),
                "the name server lists the plain broker in broker-a's cluster all along: it is a candidate, not a peer");
            assertEquals("", plain.controller().getBrokerConfig().getMessageStorePlugIn(), "runs without the host");
        }
    }

    /**
     * Anything else that reaches the remoting port, such as a RocketMQ client, gets "no permission"
     * for a peer request, and the handler never runs: from an address no broker of the cluster
     * registered (127.0.0.2; the brokers register 127.0.0.1), or naming a group the cluster lacks.
     */
    private static void assertStrangersAreRefused(InProcessBroker b, Peer peerA) throws Exception {
        List<String> notesBefore = List.copyOf(pluginOf(b).peerMessages);
        String bAddress = b.controller().getBrokerAddr();
        for (int attempt = 0; attempt < 2; attempt++) { // the first may only have asked for a fresh route
            assertEquals(ResponseCode.NO_PERMISSION,
                rawRequest("127.0.0.2", bAddress, RecordingPlugin.NOTE, peerA.brokerName(), "forged").getCode());
        }
        RemotingCommand unknownGroup = rawRequest("127.0.0.1", bAddress, RecordingPlugin.NOTE, "broker-z", "forged");
        assertEquals(ResponseCode.NO_PERMISSION, unknownGroup.getCode(), unknownGroup.getRemark());
        assertTrue(unknownGroup.getRemark().contains("broker-z"), unknownGroup.getRemark());
        assertEquals(ResponseCode.NO_PERMISSION,
            rawRequest("127.0.0.2", bAddress, PeerRequestCodes.PING, peerA.brokerName(), "").getCode());
        assertEquals(notesBefore, List.copyOf(pluginOf(b).peerMessages), "no refused request reached the handler");
        assertEquals(RemotingSysResponseCode.SUCCESS,
            rawRequest("127.0.0.1", bAddress, RecordingPlugin.NOTE, peerA.brokerName(), "genuine").getCode(),
            "the same request from broker-a's address is served");
    }

    /** One request on a socket of its own, from {@code sourceHost}, the way any remoting client writes one. */
    private static RemotingCommand rawRequest(String sourceHost, String brokerAddress, int code, String from, String body)
        throws Exception {
        RemotingCommand request = RemotingCommand.createRequestCommand(code, null);
        request.addExtField("lightqueuePeerFrom", from); // what PeerClient sends
        request.setBody(bytes(body));
        int colon = brokerAddress.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(sourceHost, 0));
            socket.connect(new InetSocketAddress(brokerAddress.substring(0, colon),
                Integer.parseInt(brokerAddress.substring(colon + 1))), 10_000);
            socket.setSoTimeout(30_000);
            ByteBuffer frame = request.encode();
            socket.getOutputStream().write(frame.array(), frame.position(), frame.remaining());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return RemotingCommand.decode(ByteBuffer.wrap(response));
        }
    }

    private InProcessBroker start(String name, Placement placement) throws Exception {
        return InProcessBroker.start(dir.resolve(name), new Properties(), placement);
    }

    private static RecordingPlugin pluginOf(InProcessBroker broker) {
        return RecordingPlugin.INSTANCES.stream()
            .filter(plugin -> plugin.context.brokerController() == broker.controller())
            .findFirst().orElseThrow();
    }

    private static PeerUnavailableException failure(CompletableFuture<byte[]> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(PeerUnavailableException.class, e.getCause());
    }

    private static <T> void await(Supplier<T> actual, T expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!expected.equals(actual.get()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, actual.get(), what);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
