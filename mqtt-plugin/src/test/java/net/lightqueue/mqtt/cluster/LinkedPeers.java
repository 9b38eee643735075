package net.lightqueue.mqtt.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerHandler;
import net.lightqueue.host.peer.PeerListener;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.host.peer.PeerUnavailableException;

/**
 * Broker groups of one cluster in one JVM: each group's network calls the others' handlers
 * directly, on the caller's thread. A group can be cut off, so calls to and from it fail as
 * with a stopped broker.
 */
public final class LinkedPeers {

    private final Map<String, Map<Integer, PeerHandler>> handlers = new HashMap<>();
    private final Set<String> down = new HashSet<>();
    private final List<String> calls = new ArrayList<>();
    private final Set<Integer> held = new HashSet<>();
    private final List<Runnable> heldAnswers = new ArrayList<>();

    public PeerNetwork group(String name) {
        handlers.put(name, new HashMap<>());
        return new PeerNetwork() {
            @Override
            public String selfName() {
                return name;
            }

            @Override
            public Collection<Peer> peers() {
                return handlers.keySet().stream().filter(other -> !other.equals(name))
                    .map(other -> new Peer(other, other + ":10911")).toList();
            }

            @Override
            public void addListener(PeerListener listener) {
            }

            @Override
            public void handle(int requestCode, PeerHandler handler) {
                handlers.get(name).put(requestCode, handler);
            }

            @Override
            public CompletableFuture<byte[]> call(Peer peer, int requestCode, byte[] request, long timeoutMillis) {
                calls.add(name + "->" + peer.brokerName() + ":" + requestCode);
                if (down.contains(peer.brokerName()) || down.contains(name)) { // a stopped broker calls no one either
                    return CompletableFuture.failedFuture(new PeerUnavailableException(peer.brokerName() + " is down", null));
                }
                CompletableFuture<byte[]> answer = handlers.get(peer.brokerName()).get(requestCode).handle(name, request);
                if (!held.contains(requestCode)) {
                    return answer;
                }
                CompletableFuture<byte[]> late = new CompletableFuture<>();
                heldAnswers.add(() -> answer.whenComplete((body, failure) -> {
                    if (failure == null) {
                        late.complete(body);
                    } else {
                        late.completeExceptionally(failure);
                    }
                }));
                return late;
            }

            @Override
            public void tell(Peer peer, int requestCode, byte[] message) {
                call(peer, requestCode, message, 0);
            }
        };
    }

    public void down(String name, boolean isDown) {
        if (isDown) {
            down.add(name);
        } else {
            down.remove(name);
        }
    }

    /** Answers to calls with this code are computed at once but arrive only at {@link #releaseAnswers}. */
    void holdAnswers(int requestCode) {
        held.add(requestCode);
    }

    void releaseAnswers() {
        held.clear();
        List<Runnable> answers = List.copyOf(heldAnswers);
        heldAnswers.clear();
        answers.forEach(Runnable::run);
    }

    /** The calls made so far, as {@code from->to:code}. */
    public List<String> calls() {
        return calls;
    }
}
