package net.lightqueue.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.host.spi.PluginContext;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.store.CommitLogDispatchStore;
import org.apache.rocketmq.store.CommitLogDispatcher;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.MessageStore;

/** The context of one hosted plugin. */
final class HostedPluginContext implements PluginContext {

    private final BrokerController controller;
    private final DefaultMessageStore defaultStore;
    private final Supplier<MessageStore> outermostStore;
    private final Map<Class<?>, Object> settings;
    private final Path dataDir;
    private final Supplier<PeerNetwork> peers;
    private volatile boolean loading = true;

    /** {@code peers} gives null until the host started. */
    HostedPluginContext(BrokerController controller, DefaultMessageStore defaultStore,
        Supplier<MessageStore> outermostStore, Map<Class<?>, Object> settings, Path dataDir, Supplier<PeerNetwork> peers) {
        this.controller = controller;
        this.defaultStore = defaultStore;
        this.outermostStore = outermostStore;
        this.settings = settings;
        this.dataDir = dataDir;
        this.peers = peers;
    }

    @Override
    public MessageStore messageStore() {
        return outermostStore.get();
    }

    @Override
    public DefaultMessageStore defaultMessageStore() {
        return defaultStore;
    }

    @Override
    public BrokerController brokerController() {
        return controller;
    }

    @Override
    public <T> T settings(Class<T> type) {
        Object group = settings.get(type);
        if (group == null) {
            throw new IllegalArgumentException(type.getName() + " is not among the plugin's settingsTypes()");
        }
        return type.cast(group);
    }

    @Override
    public void addDispatcher(CommitLogDispatcher dispatcher) {
        defaultStore.getDispatcherList().addLast(dispatcher);
    }

    @Override
    public void registerDispatchStore(CommitLogDispatchStore store) {
        if (!loading) {
            throw new IllegalStateException("dispatch stores must be registered during load, before the store recovers");
        }
        defaultStore.registerCommitLogDispatchStore(store);
    }

    @Override
    public Path dataDir() {
        try {
            return Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the plugin data directory " + dataDir, e);
        }
    }

    @Override
    public PeerNetwork peers() {
        PeerNetwork network = peers.get();
        if (network == null) {
            throw new IllegalStateException("the peer network exists from the plugin's start on, not during load");
        }
        return network;
    }

    void loaded() {
        loading = false;
    }
}
