package net.lightqueue.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A name server and a master broker, optionally a slave replicating it, each a real process
 * started from a {@link BrokerHome}, on loopback. Brokers can be stopped gracefully, killed
 * with SIGKILL and started again on the same store.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final BrokerHome home;
    private final int namesrvPort;
    private final BrokerNode master;
    private BrokerNode slave;
    private ServerProcess namesrv;

    private LocalCluster(BrokerHome home, int namesrvPort, BrokerNode master) {
        this.home = home;
        this.namesrvPort = namesrvPort;
        this.master = master;
    }

    /**
     * Prepares a cluster in {@code home}; {@code extraConf} adds to (or overrides) the master's
     * broker.conf defaults, e.g. the plugin's own keys.
     */
    public static LocalCluster prepare(BrokerHome home, int namesrvPort, int brokerPort, Map<String, String> extraConf) {
        Map<String, String> conf = brokerConf(home, namesrvPort, brokerPort, 0);
        conf.putAll(extraConf);
        return new LocalCluster(home, namesrvPort, new BrokerNode("broker", home, conf));
    }

    /** A cluster on free ports. */
    public static LocalCluster prepare(BrokerHome home, Map<String, String> extraConf) {
        return prepare(home, FreePorts.one(), FreePorts.brokerPort(), extraConf);
    }

    private static Map<String, String> brokerConf(BrokerHome home, int namesrvPort, int brokerPort, int brokerId) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("brokerClusterName", "DefaultCluster");
        conf.put("brokerName", "broker-a");
        conf.put("brokerId", String.valueOf(brokerId));
        conf.put("brokerRole", brokerId == 0 ? "ASYNC_MASTER" : "SLAVE");
        conf.put("flushDiskType", "ASYNC_FLUSH");
        conf.put("brokerIP1", "127.0.0.1");
        conf.put("namesrvAddr", "127.0.0.1:" + namesrvPort);
        conf.put("listenPort", String.valueOf(brokerPort));
        conf.put("haListenPort", String.valueOf(brokerPort + 1));
        conf.put("storePathRootDir", home.store().toAbsolutePath().toString());
        conf.put("storePathCommitLog", home.store().resolve("commitlog").toAbsolutePath().toString());
        conf.put("mappedFileSizeCommitLog", String.valueOf(128 * 1024 * 1024));
        conf.put("autoCreateTopicEnable", "true");
        conf.put("messageStorePlugIn", BrokerHome.PLUGIN_HOST);
        return conf;
    }

    /**
     * Adds a slave of the master, in its own home, on free ports; it replicates the master's
     * commitlog over HA. {@code extraConf} as for the master (e.g. a different MQTT port).
     */
    public BrokerNode addSlave(BrokerHome slaveHome, Map<String, String> extraConf) {
        Map<String, String> conf = brokerConf(slaveHome, namesrvPort, FreePorts.brokerPort(), 1);
        conf.putAll(extraConf);
        slave = new BrokerNode("slave", slaveHome, conf);
        return slave;
    }

    public LocalCluster start() throws IOException, InterruptedException {
        startNamesrv();
        master.start();
        return this;
    }

    public void startNamesrv() throws IOException, InterruptedException {
        Path conf = home.dir().resolve("conf/namesrv.conf");
        Files.writeString(conf, "listenPort=" + namesrvPort + "\n");
        namesrv = ServerProcess.start("namesrv",
            home.javaCommand("256m", "org.apache.rocketmq.namesrv.NamesrvStartup", "-c", conf.toAbsolutePath().toString()),
            home.dir(), home.dir().resolve("console/namesrv.out"));
        namesrv.awaitLine(line -> line.contains("The Name Server boot success"), START_TIMEOUT);
    }

    public BrokerNode master() {
        return master;
    }

    public BrokerNode slave() {
        return slave;
    }

    /** Starts the master and waits for boot success. */
    public ServerProcess startBroker() throws IOException, InterruptedException {
        return master.start();
    }

    /** Starts the master without waiting: for tests that expect it to fail. */
    public ServerProcess launchBroker() throws IOException {
        return master.launch();
    }

    public int stopBroker() throws InterruptedException {
        return master.stop();
    }

    public void killBroker() throws InterruptedException {
        master.kill();
    }

    public ServerProcess broker() {
        return master.process();
    }

    public Map<String, String> brokerConf() {
        return master.conf();
    }

    public BrokerHome home() {
        return home;
    }

    public String namesrvAddress() {
        return "127.0.0.1:" + namesrvPort;
    }

    public String brokerAddress() {
        return master.address();
    }

    /** Console and log tails of the brokers, for a failing test's message. */
    public String diagnostics() {
        return master.diagnostics() + (slave == null ? "" : "\n" + slave.diagnostics());
    }

    @Override
    public void close() throws InterruptedException {
        for (BrokerNode node : new BrokerNode[] {slave, master}) {
            if (node != null && node.isAlive()) {
                node.stop();
            }
        }
        if (namesrv != null && namesrv.isAlive()) {
            namesrv.stop(STOP_TIMEOUT);
        }
    }
}
