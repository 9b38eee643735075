package net.lightqueue.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.host.peer.BrokerPeerNetwork;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.host.spi.BrokerPlugin;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.MessageStore;
import org.apache.rocketmq.store.QueryMessageResult;
import org.apache.rocketmq.store.plugin.AbstractPluginMessageStore;
import org.apache.rocketmq.store.plugin.MessageStorePluginContext;
import org.apache.rocketmq.store.rocksdb.MessageRocksDBStorage;
import org.apache.rocketmq.store.timer.rocksdb.TimerMessageRocksDBStore;
import org.apache.rocketmq.store.transaction.TransMessageRocksDBStore;

import java.util.concurrent.CompletableFuture;

/**
 * The class an operator names in broker.conf ({@code messageStorePlugIn=net.lightqueue.host.PluginHost}).
 * It wraps the broker's message store, changes none of its behaviour, and runs the
 * {@link BrokerPlugin}s found on the classpath along the store's lifecycle: plugins load
 * before the store recovers (so recovery replays the commitlog into their dispatchers), start
 * after the store started, and stop before it stops.
 */
public class PluginHost extends AbstractPluginMessageStore {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final BrokerController controller;
    private final List<HostedPlugin> plugins;
    private final List<HostedPlugin> started = new ArrayList<>();
    /** Created when the host starts: the broker's remoting servers do not exist before. */
    private volatile BrokerPeerNetwork peers;

    public PluginHost(MessageStorePluginContext context, MessageStore next) {
        super(context, next);
        this.controller = BrokerControllerLocator.locate(context);
        DefaultMessageStore defaultStore = StoreChain.innermost(next);
        Properties brokerConf = controller.getConfiguration().getAllConfigs();
        Path storeRoot = Path.of(context.getMessageStoreConfig().getStorePathRootDir());
        List<HostedPlugin> found = new ArrayList<>();
        for (BrokerPlugin plugin : ServiceLoader.load(BrokerPlugin.class, PluginHost.class.getClassLoader())) {
            Map<Class<?>, Object> settings = bindSettings(plugin, brokerConf, context);
            MessageStore outermostFallback = this;
            HostedPluginContext pluginContext = new HostedPluginContext(controller, defaultStore,
                () -> controller.getMessageStore() != null ? controller.getMessageStore() : outermostFallback,
                settings, storeRoot.resolve(plugin.name()), this::peers);
            found.add(new HostedPlugin(plugin, pluginContext));
        }
        this.plugins = Collections.unmodifiableList(found);
        if (plugins.isEmpty()) {
            LOG.warn("no broker plugin found on the classpath; the broker runs without one");
        } else {
            LOG.info("broker plugins found: {}", plugins.stream().map(HostedPlugin::name).toList());
        }
        controller.getBrokerAttachedPlugins().add(new RoleChangeRelay(plugins));
    }

    private static Map<Class<?>, Object> bindSettings(BrokerPlugin plugin, Properties brokerConf,
        MessageStorePluginContext context) {
        try {
            Map<Class<?>, Object> settings = SettingsBinder.bind(plugin.settingsTypes(), brokerConf);
            // Registered settings show in 'mqadmin getBrokerConfig' under their keys.
            settings.values().forEach(context::registerConfiguration);
            return settings;
        } catch (RuntimeException e) {
            throw PluginFailure.report(plugin.name(), "read its settings from broker.conf", e);
        }
    }

    @Override
    public boolean load() {
        for (HostedPlugin hosted : plugins) {
            try {
                hosted.plugin().load(hosted.context());
            } catch (Exception | LinkageError e) {
                throw PluginFailure.report(hosted.name(), "load", e);
            } finally {
                hosted.context().loaded();
            }
            LOG.info("plugin '{}' loaded", hosted.name());
        }
        return super.load();
    }

    @Override
    public void start() throws Exception {
        super.start();
        if (plugins.isEmpty()) {
            return; // nothing to serve: other brokers must not count this one as a peer
        }
        peers = new BrokerPeerNetwork(controller);
        for (HostedPlugin hosted : plugins) {
            try {
                hosted.plugin().start();
            } catch (Exception | LinkageError e) {
                throw PluginFailure.report(hosted.name(), "start", e);
            }
            started.add(hosted);
            LOG.info("plugin '{}' started", hosted.name());
        }
        // After the plugins' start: their handlers and listeners are in place for the first refresh.
        peers.start();
    }

    @Override
    public void shutdown() {
        for (int i = started.size() - 1; i >= 0; i--) {
            HostedPlugin hosted = started.get(i);
            try {
                hosted.plugin().stop();
                LOG.info("plugin '{}' stopped", hosted.name());
            } catch (RuntimeException e) {
                LOG.error("plugin '{}' failed to stop cleanly", hosted.name(), e);
            }
        }
        started.clear();
        if (peers != null) {
            peers.close();
        }
        super.shutdown();
    }

    /** The hosted plugins, in discovery order. */
    public List<BrokerPlugin> plugins() {
        return plugins.stream().map(HostedPlugin::plugin).toList();
    }

    /** This broker's peer network; null before the host started. */
    public PeerNetwork peers() {
        return peers;
    }

    // AbstractPluginMessageStore leaves these abstract in RocketMQ 5.5: plain delegation.

    @Override
    public QueryMessageResult queryMessage(String topic, String key, int maxNum, long begin, long end,
        String indexType, String lastKey) {
        return next.queryMessage(topic, key, maxNum, begin, end, indexType, lastKey);
    }

    @Override
    public CompletableFuture<QueryMessageResult> queryMessageAsync(String topic, String key, int maxNum,
        long begin, long end, String indexType, String lastKey) {
        return next.queryMessageAsync(topic, key, maxNum, begin, end, indexType, lastKey);
    }

    @Override
    public TimerMessageRocksDBStore getTimerMessageRocksDBStore() {
        return next.getTimerMessageRocksDBStore();
    }

    @Override
    public void setTimerMessageRocksDBStore(TimerMessageRocksDBStore store) {
        next.setTimerMessageRocksDBStore(store);
    }

    @Override
    public TransMessageRocksDBStore getTransMessageRocksDBStore() {
        return next.getTransMessageRocksDBStore();
    }

    @Override
    public void setTransMessageRocksDBStore(TransMessageRocksDBStore store) {
        next.setTransMessageRocksDBStore(store);
    }

    @Override
    public MessageRocksDBStorage getMessageRocksDBStorage() {
        return next.getMessageRocksDBStorage();
    }
}
