package net.lightqueue.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A name server and one broker, each a real process started from a {@link BrokerHome}, on
 * loopback. The broker can be stopped gracefully, killed with SIGKILL and started again on the
 * same store.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final BrokerHome home;
    private final int namesrvPort;
    private final int brokerPort;
    private final Map<String, String> brokerConf;
    private ServerProcess namesrv;
    private ServerProcess broker;
    private int brokerStarts;

    private LocalCluster(BrokerHome home, int namesrvPort, int brokerPort, Map<String, String> brokerConf) {
        this.home = home;
        this.namesrvPort = namesrvPort;
        this.brokerPort = brokerPort;
        this.brokerConf = brokerConf;
    }

    /**
     * Prepares a cluster in {@code home}; {@code extraConf} adds to (or overrides) the
     * broker.conf defaults, e.g. the plugin's own keys.
     */
    public static LocalCluster prepare(BrokerHome home, int namesrvPort, int brokerPort, Map<String, String> extraConf) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("brokerClusterName", "DefaultCluster");
        conf.put("brokerName", "broker-a");
        conf.put("brokerId", "0");
        conf.put("brokerRole", "ASYNC_MASTER");
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
        conf.putAll(extraConf);
        return new LocalCluster(home, namesrvPort, brokerPort, conf);
    }

    /** A cluster on free ports. */
    public static LocalCluster prepare(BrokerHome home, Map<String, String> extraConf) {
        return prepare(home, FreePorts.one(), FreePorts.brokerPort(), extraConf);
    }

    public LocalCluster start() throws IOException, InterruptedException {
        startNamesrv();
        startBroker();
        return this;
    }

    public void startNamesrv() throws IOException, InterruptedException {
        Path conf = home.dir().resolve("conf/namesrv.conf");
        java.nio.file.Files.writeString(conf, "listenPort=" + namesrvPort + "\n");
        namesrv = ServerProcess.start("namesrv",
            home.javaCommand("256m", "org.apache.rocketmq.namesrv.NamesrvStartup", "-c", conf.toAbsolutePath().toString()),
            home.dir(), home.dir().resolve("console/namesrv.out"));
        namesrv.awaitLine(line -> line.contains("The Name Server boot success"), START_TIMEOUT);
    }

    /** Starts the broker process and waits until it reports boot success. */
    public ServerProcess startBroker() throws IOException, InterruptedException {
        ServerProcess process = launchBroker();
        process.awaitLine(line -> line.contains("boot success"), START_TIMEOUT);
        return process;
    }

    /** Starts the broker process without waiting: for tests that expect it to fail. */
    public ServerProcess launchBroker() throws IOException {
        home.writeBrokerConf(brokerConf);
        brokerStarts++;
        broker = ServerProcess.start("broker",
            home.javaCommand("1g", "org.apache.rocketmq.broker.BrokerStartup", "-c", home.brokerConf().toAbsolutePath().toString()),
            home.dir(), home.dir().resolve("console/broker-" + brokerStarts + ".out"));
        return broker;
    }

    public int stopBroker() throws InterruptedException {
        return broker.stop(STOP_TIMEOUT);
    }

    public void killBroker() throws InterruptedException {
        broker.kill();
    }

    public Map<String, String> brokerConf() {
        return brokerConf;
    }

    public BrokerHome home() {
        return home;
    }

    public ServerProcess broker() {
        return broker;
    }

    public String namesrvAddress() {
        return "127.0.0.1:" + namesrvPort;
    }

    public String brokerAddress() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Broker console and log tails, for a failing test's message. */
    public String diagnostics() {
        return "--- broker console ---\n" + (broker == null ? "" : broker.consoleTail(40))
            + "\n--- broker_default.log ---\n" + home.logTail("broker_default.log", 40);
    }

    @Override
    public void close() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.stop(STOP_TIMEOUT);
        }
        if (namesrv != null && namesrv.isAlive()) {
            namesrv.stop(STOP_TIMEOUT);
        }
    }
}
