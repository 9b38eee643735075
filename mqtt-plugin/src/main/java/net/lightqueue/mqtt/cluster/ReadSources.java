package net.lightqueue.mqtt.cluster;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Where the light queues of each other broker group are read: at its master while the name
 * server lists it and it answers, else, with slave reads on, at its first slave. A slave applies
 * the same commitlog, so it holds the same queues at the same offsets (up to what it has
 * replicated) and the sessions' progress records as the master last wrote them. It cannot
 * write: progress goes to the master only ({@link #writer}).
 *
 * <p>A master that does not answer is read around until it answers again: the periodic
 * {@code ENDS} poll asks it, or it joins again.
 */
final class ReadSources {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.cluster");

    private final PeerNetwork network;
    private final boolean slaveReads;
    private final Consumer<String> switched;
    /** Groups whose listed master failed a call and has not answered one since. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Where each group was last read. */
    private final ConcurrentMap<String, Peer> current = new ConcurrentHashMap<>();

    /** @param switched told the name of a group whose queues are read at another broker from now on */
    ReadSources(PeerNetwork network, boolean slaveReads, Consumer<String> switched) {
        this.network = network;
        this.slaveReads = slaveReads;
        this.switched = switched;
    }

    /**
     * One broker per group whose queues can be read now: the masters that are peers and, with
     * slave reads on, a slave of each other group whose master the name server does not list.
     */
    Collection<Peer> groups() {
        Map<String, Peer> byName = new LinkedHashMap<>();
        network.peers().forEach(master -> byName.put(master.brokerName(), master));
        if (slaveReads) {
            network.slaves().forEach(slave -> byName.putIfAbsent(slave.brokerName(), slave));
        }
        return byName.values();
    }

    /** The group's master as the directory knows it now (a master that moved, at its new address), or null. */
    Peer master(String group) {
        return network.peer(group);
    }

    /**
     * Where {@code group}'s queues are read now: its master, its slave while the master is away
     * or failing, or, with neither known, {@code group} as the caller last knew it (the call
     * fails and is retried).
     */
    Peer readFrom(Peer group) {
        String name = group.brokerName();
        Peer master = master(name);
        Peer source = master != null && !failing.contains(name) ? master : slave(name);
        if (source == null) {
            source = master != null ? master : group;
        }
        Peer previous = current.put(name, source);
        if (previous != null && !previous.equals(source)) {
            if (source.equals(master)) {
                LOG.info("MQTT reads of {}'s queues go to its master at {} again", name, source.address());
            } else if (!source.equals(group)) {
                LOG.info("MQTT reads of {}'s queues go to its slave at {} while its master is away or does not answer;"
                    + " sessions' progress there is recorded when the master is back", name, source.address());
            }
            switched.accept(name);
        }
        return source;
    }

    /** Where the group's progress is written: its master while it is listed and answers, else null. */
    Peer writer(String group) {
        Peer master = master(group);
        return master != null && !failing.contains(group) ? master : null;
    }

    /** A call to {@code target} failed: when it is its group's master, reads go around it until it answers. */
    void failed(Peer target) {
        if (target.equals(master(target.brokerName())) && failing.add(target.brokerName())) {
            readFrom(target);
        }
    }

    /**
     * {@code target} answered a call: when it is its group's master, reads go to it again.
     * Returns whether that master had been failing (it takes writes again).
     */
    boolean answered(Peer target) {
        if (target.equals(master(target.brokerName())) && failing.remove(target.brokerName())) {
            readFrom(target);
            return true;
        }
        return false;
    }

    /** The group's master joined (again): whatever failed before, it answered the directory. */
    void joined(Peer master) {
        failing.remove(master.brokerName());
        readFrom(master);
    }

    private Peer slave(String group) {
        if (!slaveReads) {
            return null;
        }
        for (Peer slave : network.slaves()) {
            if (slave.brokerName().equals(group)) {
                return slave;
            }
        }
        return null;
    }
}
