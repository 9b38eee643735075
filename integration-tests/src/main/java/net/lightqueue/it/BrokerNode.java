package net.lightqueue.it;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** One broker process of a {@link LocalCluster}: its home, its broker.conf, its current process. */
public final class BrokerNode {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final BrokerHome home;
    private final Map<String, String> conf;
    private ServerProcess process;
    private int starts;

    BrokerNode(String name, BrokerHome home, Map<String, String> conf) {
        this.name = name;
        this.home = home;
        this.conf = conf;
    }

    /** Starts the broker process and waits until it reports boot success. */
    public ServerProcess start() throws IOException, InterruptedException {
        launch();
        return awaitBoot();
    }

    /** Starts the broker process without waiting: for tests that expect it to fail. */
    public ServerProcess launch() throws IOException {
        home.writeBrokerConf(conf);
        starts++;
        process = ServerProcess.start(name,
            home.javaCommand("1g", "org.apache.rocketmq.broker.BrokerStartup",
                "-c", home.brokerConf().toAbsolutePath().toString()),
            home.dir(), home.dir().resolve("console/" + name + "-" + starts + ".out"));
        return process;
    }

    /** Waits until the launched process reports boot success. */
    public ServerProcess awaitBoot() throws InterruptedException {
        process.awaitLine(line -> line.contains("boot success"), START_TIMEOUT);
        return process;
    }

    /** SIGTERM and wait: the broker's shutdown hook runs. Returns the exit code. */
    public int stop() throws InterruptedException {
        return process.stop(STOP_TIMEOUT);
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public ServerProcess process() {
        return process;
    }

    public BrokerHome home() {
        return home;
    }

    public Map<String, String> conf() {
        return conf;
    }

    /** The broker group this node belongs to ({@code brokerName}). */
    public String brokerName() {
        return conf.get("brokerName");
    }

    public String address() {
        return "127.0.0.1:" + conf.get("listenPort");
    }

    /** The plugin's MQTT TCP port as broker.conf sets it (the plugin's default when unset). */
    public int mqttPort() {
        return Integer.parseInt(conf.getOrDefault("mqttListenPort", "1883"));
    }

    /** Console and log tails, for a failing test's message. */
    public String diagnostics() {
        return "--- " + name + " console ---\n" + (process == null ? "" : process.consoleTail(40))
            + "\n--- " + name + " broker_default.log ---\n" + home.logTail("broker_default.log", 40);
    }
}
