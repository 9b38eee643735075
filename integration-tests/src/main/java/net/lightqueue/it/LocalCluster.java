package net.lightqueue.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A name server and the broker groups of one cluster ({@code brokerClusterName}), each a real
 * process started from a {@link BrokerHome}, on loopback. The first group, {@code broker-a},
 * is prepared with the cluster; {@link #addGroup} adds {@code broker-b}, {@code broker-c} ...,
 * each a master with its own home, store and ports, and {@link #addSlave} a slave replicating a
 * group's master. In controller mode ({@link #prepareWithController}) the name server embeds a
 * RocketMQ controller and {@link #addReplica} adds replicas of {@code broker-a} that elect their
 * master themselves. Brokers can be stopped gracefully, killed with SIGKILL and started again on
 * the same store while the others run.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String CLUSTER_NAME = "DefaultCluster";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final BrokerHome home;
    private final int namesrvPort;
    private final List<BrokerNode> masters = new ArrayList<>();
    private final List<BrokerNode> slaves = new ArrayList<>();
    private final List<BrokerNode> replicas = new ArrayList<>();
    /** The embedded controller's port; 0 when the name server runs none. */
    private final int controllerPort;
    private ServerProcess namesrv;

    private LocalCluster(BrokerHome home, int namesrvPort, int controllerPort) {
        this.home = home;
        this.namesrvPort = namesrvPort;
        this.controllerPort = controllerPort;
    }

    /**
     * Prepares a cluster of one group in {@code home} (which holds the name server too);
     * {@code extraConf} adds to (or overrides) the master's broker.conf defaults, e.g. the
     * plugin's own keys.
     */
    public static LocalCluster prepare(BrokerHome home, int namesrvPort, int brokerPort, Map<String, String> extraConf) {
        LocalCluster cluster = new LocalCluster(home, namesrvPort, 0);
        cluster.addGroup(home, brokerPort, extraConf);
        return cluster;
    }

    /** A cluster of one group on free ports. */
    public static LocalCluster prepare(BrokerHome home, Map<String, String> extraConf) {
        LocalCluster cluster = new LocalCluster(home, FreePorts.one(), 0);
        cluster.addGroup(home, extraConf);
        return cluster;
    }

    /**
     * Prepares a cluster in controller mode, on free ports: the name server in {@code home}
     * embeds a single-peer controller, and no broker is added yet (see {@link #addReplica}).
     */
    public static LocalCluster prepareWithController(BrokerHome home) {
        int namesrvPort = FreePorts.one();
        int controllerPort = FreePorts.one();
        while (controllerPort == namesrvPort) {
            controllerPort = FreePorts.one();
        }
        return prepareWithController(home, namesrvPort, controllerPort);
    }

    /** As {@link #prepareWithController(BrokerHome)}, on the given ports. */
    public static LocalCluster prepareWithController(BrokerHome home, int namesrvPort, int controllerPort) {
        return new LocalCluster(home, namesrvPort, controllerPort);
    }

    /**
     * Adds a replica of {@code broker-a} in controller mode: it starts as a slave and the
     * controller elects the group's master among the replicas; with
     * {@code allAckInSyncStateSet=true} a write is acknowledged once every in-sync replica holds
     * it. {@code extraConf} as for a master. Started by {@link BrokerNode#start()}.
     */
    public BrokerNode addReplica(BrokerHome replicaHome, Map<String, String> extraConf) {
        return addReplica(replicaHome, freeBrokerPort(extraConf), extraConf);
    }

    /** As {@link #addReplica(BrokerHome, Map)}, its remoting port {@code brokerPort}. */
    public BrokerNode addReplica(BrokerHome replicaHome, int brokerPort, Map<String, String> extraConf) {
        if (controllerPort == 0) {
            throw new IllegalStateException("replicas need a cluster prepared with a controller");
        }
        String brokerName = groupName(0);
        Map<String, String> conf = new LinkedHashMap<>(Map.of(
            "enableControllerMode", "true",
            "controllerAddr", controllerAddress(),
            "allAckInSyncStateSet", "true",
            "storePathEpochFile", replicaHome.store().resolve("epochfile").toAbsolutePath().toString()));
        conf.putAll(extraConf);
        BrokerNode replica = new BrokerNode(brokerName + "-" + (replicas.size() + 1), replicaHome,
            brokerConf(replicaHome, brokerName, brokerPort, -1, conf));
        replicas.add(replica);
        return replica;
    }

    /** The replicas of controller mode, in the order they were added. */
    public List<BrokerNode> replicas() {
        return List.copyOf(replicas);
    }

    /** The embedded controller's address. */
    public String controllerAddress() {
        return "127.0.0.1:" + controllerPort;
    }

    /**
     * Adds the next broker group ({@code broker-b}, {@code broker-c} ...; in controller mode
     * {@code broker-a} is the replicas' group): a master in its own
     * home, registered at this cluster's name server, its remoting port {@code brokerPort}
     * (the broker also listens on port - 2 and port + 1). Started by {@link #start()} if added
     * before it, else by {@link BrokerNode#start()}.
     */
    public BrokerNode addGroup(BrokerHome groupHome, int brokerPort, Map<String, String> extraConf) {
        String brokerName = groupName(masters.size() + (controllerPort == 0 ? 0 : 1)); // replicas are broker-a
        BrokerNode master = new BrokerNode(brokerName, groupHome, brokerConf(groupHome, brokerName, brokerPort, 0, extraConf));
        masters.add(master);
        return master;
    }

    /** Adds the next broker group on a free remoting port. */
    public BrokerNode addGroup(BrokerHome groupHome, Map<String, String> extraConf) {
        return addGroup(groupHome, freeBrokerPort(extraConf), extraConf);
    }

    /** The name of the group at {@code index}: broker-a, broker-b, ... */
    public static String groupName(int index) {
        if (index < 0 || index >= 26) {
            throw new IllegalArgumentException("groups are named broker-a to broker-z; no group " + index);
        }
        return "broker-" + (char) ('a' + index);
    }

    private Map<String, String> brokerConf(BrokerHome nodeHome, String brokerName, int brokerPort, int brokerId,
        Map<String, String> extraConf) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("brokerClusterName", CLUSTER_NAME);
        conf.put("brokerName", brokerName);
        conf.put("brokerId", String.valueOf(brokerId));
        conf.put("brokerRole", brokerId == 0 ? "ASYNC_MASTER" : "SLAVE");
        conf.put("flushDiskType", "ASYNC_FLUSH");
        conf.put("brokerIP1", "127.0.0.1");
        conf.put("namesrvAddr", namesrvAddress());
        conf.put("listenPort", String.valueOf(brokerPort));
        conf.put("haListenPort", String.valueOf(brokerPort + 1));
        conf.put("storePathRootDir", nodeHome.store().toAbsolutePath().toString());
        conf.put("storePathCommitLog", nodeHome.store().resolve("commitlog").toAbsolutePath().toString());
        conf.put("mappedFileSizeCommitLog", String.valueOf(128 * 1024 * 1024));
        conf.put("autoCreateTopicEnable", "true");
        conf.put("messageStorePlugIn", BrokerHome.PLUGIN_HOST);
        // RocketMQ 5.5.0's transaction-metrics thread spins a core from the start until this
        // interval first passes (10 s by default); 1 s shortens that, at one small file write a
        // second. A fresh broker's QoS 1 p99 at 1,000/s was 3 to 10 times lower (docs/benchmarks.md).
        conf.put("transactionMetricFlushInterval", "1000");
        conf.putAll(extraConf);
        return conf;
    }

    /**
     * Adds a slave of the first group's master, in its own home, on free ports; it replicates
     * the master's commitlog over HA. {@code extraConf} as for the master (e.g. a different MQTT port).
     */
    public BrokerNode addSlave(BrokerHome slaveHome, Map<String, String> extraConf) {
        return addSlave(master(), slaveHome, extraConf);
    }

    /** Adds a slave of {@code master}, a group's master of this cluster. Started by {@link BrokerNode#start()}. */
    public BrokerNode addSlave(BrokerNode master, BrokerHome slaveHome, Map<String, String> extraConf) {
        String brokerName = master.brokerName();
        BrokerNode slave = new BrokerNode(brokerName + "-slave", slaveHome,
            brokerConf(slaveHome, brokerName, freeBrokerPort(extraConf), 1, extraConf));
        slaves.add(slave);
        return slave;
    }

    /**
     * Starts the name server, then every group's master; the masters boot in parallel (each
     * its own JVM), and this returns when all reported boot success.
     */
    public LocalCluster start() throws IOException, InterruptedException {
        startNamesrv();
        for (BrokerNode master : masters) {
            master.launch();
        }
        for (BrokerNode master : masters) {
            master.awaitBoot();
        }
        return this;
    }

    public void startNamesrv() throws IOException, InterruptedException {
        Path conf = home.dir().resolve("conf/namesrv.conf");
        StringBuilder lines = new StringBuilder("listenPort=" + namesrvPort + "\n");
        if (controllerPort != 0) {
            lines.append("enableControllerInNamesrv=true\n")
                .append("controllerDLegerGroup=lightqueue\n")
                .append("controllerDLegerPeers=n0-").append(controllerAddress()).append('\n')
                .append("controllerDLegerSelfId=n0\n")
                .append("controllerStorePath=").append(home.dir().resolve("controller").toAbsolutePath()).append('\n')
                .append("notifyBrokerRoleChanged=true\n");
        }
        Files.writeString(conf, lines.toString());
        namesrv = ServerProcess.start("namesrv",
            home.javaCommand("256m", "org.apache.rocketmq.namesrv.NamesrvStartup", "-c", conf.toAbsolutePath().toString()),
            home.dir(), home.dir().resolve("console/namesrv.out"));
        namesrv.awaitLine(line -> line.contains("The Name Server boot success"), START_TIMEOUT);
    }

    /** The first group's master ({@code broker-a}). */
    public BrokerNode master() {
        return masters.get(0);
    }

    /** The master of the group {@code brokerName}. */
    public BrokerNode master(String brokerName) {
        return masters.stream().filter(m -> m.brokerName().equals(brokerName)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no group " + brokerName + " in this cluster"));
    }

    /** Every group's master, in the order the groups were added. */
    public List<BrokerNode> masters() {
        return List.copyOf(masters);
    }

    /** Starts the first group's master and waits for boot success. */
    public ServerProcess startBroker() throws IOException, InterruptedException {
        return master().start();
    }

    /** Starts the first group's master without waiting: for tests that expect it to fail. */
    public ServerProcess launchBroker() throws IOException {
        return master().launch();
    }

    public int stopBroker() throws InterruptedException {
        return master().stop();
    }

    public void killBroker() throws InterruptedException {
        master().kill();
    }

    public ServerProcess broker() {
        return master().process();
    }

    public Map<String, String> brokerConf() {
        return master().conf();
    }

    /** The first group's home, which holds the name server too. */
    public BrokerHome home() {
        return home;
    }

    public String namesrvAddress() {
        return "127.0.0.1:" + namesrvPort;
    }

    public String brokerAddress() {
        return master().address();
    }

    /**
     * A free loopback port that no process of this cluster is configured to use, e.g. for a
     * group's MQTT listener (a port is only taken when its broker starts).
     */
    public int freePort() {
        Set<Integer> used = configuredPorts(Map.of());
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FreePorts.one();
            if (!used.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port outside " + used);
    }

    private int freeBrokerPort(Map<String, String> extraConf) {
        Set<Integer> used = configuredPorts(extraConf);
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FreePorts.brokerPort();
            if (IntStream.of(port - 2, port, port + 1).noneMatch(used::contains)) {
                return port;
            }
        }
        throw new IllegalStateException("no free broker port whose neighbours are outside " + used);
    }

    /** The ports the name server and every broker.conf (and {@code extraConf}) name, with each broker's fast remoting port. */
    private Set<Integer> configuredPorts(Map<String, String> extraConf) {
        Set<Integer> used = new HashSet<>(Set.of(namesrvPort, controllerPort));
        Stream.concat(nodes().map(BrokerNode::conf), Stream.of(extraConf)).forEach(conf -> {
            conf.forEach((key, value) -> {
                if (key.endsWith("Port") && value.matches("\\d{1,5}")) {
                    used.add(Integer.parseInt(value));
                }
            });
            if (conf.containsKey("listenPort")) {
                used.add(Integer.parseInt(conf.get("listenPort")) - 2);
            }
        });
        return used;
    }

    private Stream<BrokerNode> nodes() {
        return Stream.of(masters, slaves, replicas).flatMap(List::stream);
    }

    /** Console tails of the name server and every broker, with the brokers' log tails, for a failing test's message. */
    public String diagnostics() {
        StringBuilder text = new StringBuilder("--- namesrv console ---\n")
            .append(namesrv == null ? "" : namesrv.consoleTail(20));
        nodes().forEach(node -> text.append('\n').append(node.diagnostics()));
        return text.toString();
    }

    /**
     * Stops the slaves and replicas, then the masters (each set at once: SIGTERM to all, then
     * waiting), then the name server; one that does not stop in time is killed and does not keep
     * the others running.
     */
    @Override
    public void close() throws InterruptedException {
        RuntimeException slavesFailure = stopAll(Stream.concat(slaves.stream(), replicas.stream()).toList());
        RuntimeException mastersFailure = stopAll(masters);
        if (namesrv != null && namesrv.isAlive()) {
            namesrv.stop(STOP_TIMEOUT);
        }
        if (slavesFailure != null || mastersFailure != null) {
            throw slavesFailure != null ? slavesFailure : mastersFailure;
        }
    }

    private static RuntimeException stopAll(List<BrokerNode> nodes) throws InterruptedException {
        List<ServerProcess> running = nodes.stream().filter(BrokerNode::isAlive).map(BrokerNode::process).toList();
        running.forEach(ServerProcess::terminate);
        RuntimeException failure = null;
        for (ServerProcess process : running) {
            try {
                process.awaitStopped(STOP_TIMEOUT);
            } catch (IllegalStateException e) {
                failure = failure == null ? e : failure;
            }
        }
        return failure;
    }
}
