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
 * Broker groups of one cluster in one JVM: each broker's network calls the others' handlers
 * directly, on the caller's thread. A broker is a group's master (named as the group) or its
 * slave ({@code <group>-slave}). A broker can be cut off, so calls to and from it fail as with a
 * stopped broker, and taken off the name server's list.
 */
public final class LinkedPeers {

    private static final String PORT = ":10911";

    /** By broker: its group's master is named as the group, a slave {@code <group>-slave}. */
    private final Map<String, Map<Integer, PeerHandler>> handlers = new HashMap<>();
    private final Map<String, String> groupOf = new HashMap<>();
    private final Set<String> slaves = new HashSet<>();
    private final Set<String> unlisted = new HashSet<>();
    private final Set<String> down = new HashSet<>();
    private final List<String> calls = new ArrayList<>();
    private final Set<Integer> held = new HashSet<>();
    private final List<Runnable> heldAnswers = new ArrayList<>();

    /** The master of group {@code name}. */
    public PeerNetwork group(String name) {
        return broker(name, name);
    }

    /** A slave of group {@code name}: the other groups list it as the group's slave, never as a peer. */
    public PeerNetwork slave(String name) {
        slaves.add(name + "-slave");
        return broker(name + "-slave", name);
    }

    private PeerNetwork broker(String broker, String name) {
        handlers.put(broker, new HashMap<>());
        groupOf.put(broker, name);
        return new PeerNetwork() {
            @Override
            public String selfName() {
                return name;
            }

            @Override
            public Collection<Peer> peers() {
                return listed(false);
            }

            @Override
            public Peer peer(String brokerName) {
                return listed(false).stream().filter(peer -> peer.brokerName().equals(brokerName)).findFirst()
                    .orElse(null);
            }

            @Override
            public Collection<Peer> slaves() {
                return listed(true);
            }

            private List<Peer> listed(boolean slave) {
                return handlers.keySet().stream().sorted()
                    .filter(other -> !groupOf.get(other).equals(name) && slaves.contains(other) == slave
                        && !unlisted.contains(other))
                    .map(other -> new Peer(groupOf.get(other), other + PORT)).toList();
            }

            @Override
            public void addListener(PeerListener listener) {
            }

            @Override
            public void handle(int requestCode, PeerHandler handler) {
                handlers.get(broker).put(requestCode, handler);
            }

            @Override
            public CompletableFuture<byte[]> call(Peer peer, int requestCode, byte[] request, long timeoutMillis) {
                String target = peer.address().substring(0, peer.address().length() - PORT.length());
                calls.add(broker + "->" + target + ":" + requestCode);
                if (down.contains(target) || down.contains(broker)) { // a stopped broker calls no one either
                    return CompletableFuture.failedFuture(new PeerUnavailableException(target + " is down", null));
                }
                CompletableFuture<byte[]> answer = handlers.get(target).get(requestCode).handle(name, request);
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

    /** Cuts the broker off (calls to and from it fail), or connects it again. */
    public void down(String broker, boolean isDown) {
        if (isDown) {
            down.add(broker);
        } else {
            down.remove(broker);
        }
    }

    /** The broker stopped: cut off, and the name server no longer lists it; or it is back. */
    public void stopped(String broker, boolean isStopped) {
        down(broker, isStopped);
        if (isStopped) {
            unlisted.add(broker);
        } else {
            unlisted.remove(broker);
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

    /** The calls made so far, as {@code from->to:code}, by broker. */
    public List<String> calls() {
        return calls;
    }
}
