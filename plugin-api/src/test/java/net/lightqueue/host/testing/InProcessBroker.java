package net.lightqueue.host.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import net.lightqueue.host.PluginHost;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * A real {@link BrokerController} in this JVM with {@link PluginHost} as its store plugin, its
 * data in a directory of the test's, on free loopback ports, without a name server unless its
 * {@link Placement} names one. Start it again on the same directory to test recovery.
 */
public final class InProcessBroker implements AutoCloseable {

    private final BrokerController controller;

    private InProcessBroker(BrokerController controller) {
        this.controller = controller;
    }

    /**
     * Where a broker sits: the name server it registers with (null: none), its cluster and
     * group (brokerName), and whether it runs {@link PluginHost}.
     */
    public record Placement(String namesrvAddr, String clusterName, String brokerName, boolean hosted) {

        public static final Placement ALONE = new Placement(null, "DefaultCluster", "test-broker", true);

        /** The master of group {@code brokerName} in {@code clusterName}, registered with the name server. */
        public static Placement member(String namesrvAddr, String clusterName, String brokerName) {
            return new Placement(namesrvAddr, clusterName, brokerName, true);
        }

        /** The same broker as a plain RocketMQ broker, without the plugin host. */
        public Placement withoutHost() {
            return new Placement(namesrvAddr, clusterName, brokerName, false);
        }
    }

    /** Starts a broker whose broker.conf would hold {@code settings} (plugin keys included). */
    public static InProcessBroker start(Path storeRoot, Properties settings) throws Exception {
        return start(storeRoot, settings, Placement.ALONE);
    }

    public static InProcessBroker start(Path storeRoot, Properties settings, Placement placement) throws Exception {
        BrokerConfig brokerConfig = new BrokerConfig();
        brokerConfig.setBrokerName(placement.brokerName());
        brokerConfig.setBrokerClusterName(placement.clusterName());
        brokerConfig.setNamesrvAddr(placement.namesrvAddr());
        brokerConfig.setBrokerIP1("127.0.0.1");
        if (placement.hosted()) {
            brokerConfig.setMessageStorePlugIn(PluginHost.class.getName());
        }
        brokerConfig.setEnablePropertyFilter(true);
        // No test pops messages; without the file-based POP services the broker skips their
        // fixed waits on shutdown (2 s in the buffer merge service, up to 1 s in revive).
        brokerConfig.setPopConsumerFSServiceInit(false);
        // RocketMQ 5.5.0's transaction-metrics thread spins a core until this interval first
        // passes (10 s by default): on two cores, every broker a test starts took one of them.
        brokerConfig.setTransactionMetricFlushInterval(1000);

        NettyServerConfig serverConfig = new NettyServerConfig();
        serverConfig.setBindAddress("127.0.0.1");
        serverConfig.setListenPort(0);

        MessageStoreConfig storeConfig = new MessageStoreConfig();
        storeConfig.setStorePathRootDir(storeRoot.toString());
        storeConfig.setStorePathCommitLog(storeRoot.resolve("commitlog").toString());
        storeConfig.setMappedFileSizeCommitLog(64 * 1024 * 1024);
        storeConfig.setHaListenPort(0);

        BrokerController controller = new BrokerController(brokerConfig, serverConfig, new NettyClientConfig(), storeConfig);
        controller.getConfiguration().registerConfig(settings);
        try {
            if (!controller.initialize()) {
                throw new IllegalStateException("broker failed to initialize in " + storeRoot);
            }
            controller.start();
        } catch (Exception | Error e) {
            controller.shutdown();
            throw e;
        }
        return new InProcessBroker(controller);
    }

    public static InProcessBroker start(Path storeRoot) throws Exception {
        return start(storeRoot, new Properties());
    }

    public BrokerController controller() {
        return controller;
    }

    public PluginHost host() {
        return (PluginHost) controller.getMessageStore();
    }

    /**
     * A clean shutdown, as the broker does it, minus waiting in sequence: the remoting endpoints'
     * event threads wait for events in 3 s polls and the broker joins them one after another,
     * and the store sleeps 3 s before it stops. The endpoints' stops run on threads of their own
     * while the broker shuts down (its own stop of each finds the event thread already stopping).
     */
    @Override
    public void close() {
        List<Thread> stops = new ArrayList<>();
        for (Runnable stop : new Runnable[] {
            controller.getRemotingServer()::shutdown,
            controller.getFastRemotingServer()::shutdown,
            controller.getBrokerOuterAPI()::shutdown}) {
            Thread thread = new Thread(stop, "in-process-broker-stop");
            thread.start();
            stops.add(thread);
        }
        controller.shutdown();
        boolean interrupted = false;
        for (Thread stop : stops) {
            while (stop.isAlive()) {
                try {
                    stop.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
