package net.lightqueue.host.spi;

import java.nio.file.Path;
import net.lightqueue.host.peer.PeerNetwork;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.store.CommitLogDispatchStore;
import org.apache.rocketmq.store.CommitLogDispatcher;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.MessageStore;

/** What the host gives a plugin. One instance per plugin. */
public interface PluginContext {

    /** The outermost store of the broker: write through it so every store plugin sees the put. */
    MessageStore messageStore();

    /** The broker's own store, for the commitlog reads and registrations only it offers. */
    DefaultMessageStore defaultMessageStore();

    BrokerController brokerController();

    /** One of the plugin's settings groups, bound from broker.conf and validated; see {@link BrokerPlugin#settingsTypes()}. */
    <T> T settings(Class<T> type);

    /**
     * Adds a dispatcher that the broker's reput thread calls for every message, after the
     * broker's own dispatchers (so a message's consume queue entry exists when it is called).
     */
    void addDispatcher(CommitLogDispatcher dispatcher);

    /**
     * Registers a store whose checkpoint the broker's recovery honours: after a crash the broker
     * re-dispatches everything after the smallest registered checkpoint. Only during
     * {@link BrokerPlugin#load}, because recovery runs right after it.
     */
    void registerDispatchStore(CommitLogDispatchStore store);

    /** A directory of this plugin's own, under the broker's store root; created on demand. */
    Path dataDir();

    /**
     * The other broker groups of this broker's cluster that run the plugin host, and calls to
     * them; one network per broker, shared by its plugins. From {@link BrokerPlugin#start} on:
     * register handlers and listeners there, before the network's first refresh.
     */
    PeerNetwork peers();
}
