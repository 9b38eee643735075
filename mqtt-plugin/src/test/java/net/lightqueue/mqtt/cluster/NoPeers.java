package net.lightqueue.mqtt.cluster;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerHandler;
import net.lightqueue.host.peer.PeerListener;
import net.lightqueue.host.peer.PeerNetwork;

/** A broker alone in its cluster, for tests of one broker's sessions. */
public final class NoPeers implements PeerNetwork {

    @Override
    public String selfName() {
        return "broker-a";
    }

    @Override
    public Collection<Peer> peers() {
        return List.of();
    }

    @Override
    public Peer peer(String brokerName) {
        return null;
    }

    @Override
    public Collection<Peer> slaves() {
        return List.of();
    }

    @Override
    public void addListener(PeerListener listener) {
    }

    @Override
    public void handle(int requestCode, PeerHandler handler) {
    }

    @Override
    public CompletableFuture<byte[]> call(Peer peer, int requestCode, byte[] request, long timeoutMillis) {
        throw new IllegalStateException("no peers");
    }

    @Override
    public void tell(Peer peer, int requestCode, byte[] message) {
        throw new IllegalStateException("no peers");
    }
}
