package net.lightqueue.host.peer;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.rocketmq.broker.BrokerController;

/**
 * The peer network of one broker: one per broker, created by the plugin host when it starts
 * (the broker's remoting servers exist then, and listen once the plugins started) and closed
 * when it shuts down. Plugins register their handlers and listeners in their {@code start};
 * {@link #start} then begins the refreshes.
 */
public final class BrokerPeerNetwork implements PeerNetwork, AutoCloseable {

    public static final Duration DEFAULT_REFRESH_PERIOD = Duration.ofSeconds(3);

    private final String selfName;
    private final Duration refreshPeriod;
    private final PeerClient client;
    private final PeerServer server;
    private final PeerDirectory directory;
    private volatile boolean started;

    public BrokerPeerNetwork(BrokerController controller, Duration refreshPeriod) {
        this.selfName = controller.getBrokerConfig().getBrokerName();
        this.refreshPeriod = refreshPeriod;
        String clusterName = controller.getBrokerConfig().getBrokerClusterName();
        PeerCallers callers = new PeerCallers(clusterName, controller.getAuthConfig());
        this.client = new PeerClient(controller.getBrokerOuterAPI().getRemotingClient(), selfName);
        this.server = new PeerServer(controller.getRemotingServer(), controller.getFastRemotingServer(),
            controller.getBrokerMetricsManager().getRemotingMetricsManager(), callers);
        this.directory = new PeerDirectory(selfName, clusterName, controller.getBrokerOuterAPI(), client, callers);
        server.handle(PeerRequestCodes.PING, (from, request) -> CompletableFuture.completedFuture(new byte[0]));
    }

    public BrokerPeerNetwork(BrokerController controller) {
        this(controller, DEFAULT_REFRESH_PERIOD);
    }

    /** Begins the refreshes: the first runs at once, on the directory's thread. */
    public void start() {
        started = true;
        directory.start(refreshPeriod);
    }

    @Override
    public String selfName() {
        return selfName;
    }

    @Override
    public Collection<Peer> peers() {
        return directory.peers();
    }

    @Override
    public Peer peer(String brokerName) {
        return directory.peer(brokerName);
    }

    @Override
    public Collection<Peer> slaves() {
        return directory.slaves();
    }

    @Override
    public void addListener(PeerListener listener) {
        directory.addListener(listener);
    }

    @Override
    public void handle(int requestCode, PeerHandler handler) {
        PeerRequestCodes.requirePluginCode(requestCode);
        if (started) {
            // The remoting servers' processor tables are not safe to change while they serve.
            throw new IllegalStateException("peer handlers are registered in the plugin's start, before the network starts");
        }
        server.handle(requestCode, handler);
    }

    @Override
    public CompletableFuture<byte[]> call(Peer peer, int requestCode, byte[] request, long timeoutMillis) {
        return client.call(peer, requestCode, request, timeoutMillis);
    }

    @Override
    public void tell(Peer peer, int requestCode, byte[] message) {
        client.tell(peer, requestCode, message);
    }

    @Override
    public void close() {
        directory.close();
        server.close();
    }
}
