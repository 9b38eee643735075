package net.lightqueue.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs a name server and one or more broker groups with the plugin from a local folder, on the
 * usual ports: name server 9876; broker-a 10911 with MQTT 1883, broker-b 10921 with MQTT 1884,
 * and so on (a broker also listens on its port - 2 and port + 1). Ctrl-C stops the brokers
 * gracefully, then the name server. Used by {@code bin/run-broker.sh}.
 *
 * <pre>
 * Quickstart --broker-lib DIR --release-jar JAR [--data DIR] [--brokers 1 | --replicas N] [--mqtt-port 1883]
 *            [--namesrv-port 9876] [--broker-port 10911] [key=value ...]
 * </pre>
 * Extra {@code key=value} arguments go to every group's broker.conf; a {@code ...Port=P} key
 * there is P for broker-a, P + 10 for broker-b, and so on ({@code mqttListenPort}: P + 1). One group lives in the data folder
 * itself, several in its subfolders {@code broker-a}, {@code broker-b} ...
 *
 * <p>{@code --replicas N} runs one group, {@code broker-a}, as N replicas in controller mode
 * instead: the name server embeds the controller (on its port + 2), the replicas take the
 * ports groups would (10911 and MQTT 1883, 10921 and 1884 ...) and live in {@code replica-1},
 * {@code replica-2} ...; the controller makes one of them master, and only the master serves MQTT.
 */
public final class Quickstart {

    /**
     * Ports of consecutive groups are this far apart (the MQTT TCP ports 1 apart): room for the
     * broker's fast (-2) and HA (+1) ports, and for neighbouring listener ports (8083, 8084).
     */
    private static final int GROUP_PORT_STEP = 10;

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--data", "data", "--brokers", "1",
            "--mqtt-port", "1883", "--namesrv-port", "9876", "--broker-port", "10911"));
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else if (args[i].contains("=")) {
                String[] kv = args[i].split("=", 2);
                conf.put(kv[0], kv[1]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + args[i] + "; see the README");
            }
        }
        int groups = Integer.parseInt(options.get("--brokers"));
        if (groups < 1 || groups > 26) {
            throw new IllegalArgumentException("--brokers must be from 1 to 26, not " + groups);
        }
        conf.putIfAbsent("mqttListenPort", options.get("--mqtt-port"));
        // RocketMQ's timer-message wheel scans its whole file every second: MQTT does not use it,
        // and off, the p99 of QoS 1 at 1,000/s was 40% lower here (docs/benchmarks.md).
        conf.putIfAbsent("timerWheelEnable", "false");
        absoluteTlsFiles(conf);
        Path data = Path.of(options.get("--data")).toAbsolutePath();
        int brokerPort = Integer.parseInt(options.get("--broker-port"));
        if (options.containsKey("--replicas")) {
            int replicas = Integer.parseInt(options.get("--replicas"));
            if (groups != 1 || replicas < 2 || replicas > 9) {
                throw new IllegalArgumentException("--replicas must be from 2 to 9, without --brokers; not " + replicas);
            }
            runReplicas(replicatedGroup(options, conf, data, brokerPort, replicas), data);
            return;
        }
        LocalCluster cluster = null;
        for (int group = 0; group < groups; group++) {
            // One group keeps the layout of a single broker, so an existing data folder keeps working.
            Path dir = groups == 1 ? data : data.resolve(LocalCluster.groupName(group));
            Files.createDirectories(dir);
            BrokerHome home = BrokerHome.create(dir, Path.of(required(options, "--broker-lib")),
                Path.of(required(options, "--release-jar")));
            Map<String, String> groupConf = portsOfGroup(conf, group);
            int groupPort = brokerPort + GROUP_PORT_STEP * group;
            if (cluster == null) {
                cluster = LocalCluster.prepare(home, Integer.parseInt(options.get("--namesrv-port")), groupPort, groupConf);
            } else {
                cluster.addGroup(home, groupPort, groupConf);
            }
        }
        run(cluster, data);
    }

    private static LocalCluster replicatedGroup(Map<String, String> options, Map<String, String> conf, Path data,
        int brokerPort, int replicas) throws Exception {
        int namesrvPort = Integer.parseInt(options.get("--namesrv-port"));
        LocalCluster cluster = null;
        for (int replica = 0; replica < replicas; replica++) {
            Path dir = data.resolve("replica-" + (replica + 1));
            Files.createDirectories(dir);
            BrokerHome home = BrokerHome.create(dir, Path.of(required(options, "--broker-lib")),
                Path.of(required(options, "--release-jar")));
            if (cluster == null) {
                cluster = LocalCluster.prepareWithController(home, namesrvPort, namesrvPort + 2);
            }
            cluster.addReplica(home, brokerPort + GROUP_PORT_STEP * replica, portsOfGroup(conf, replica));
        }
        return cluster;
    }

    /** Starts the replicas one after the other, so the first becomes master, and runs until Ctrl-C or all exited. */
    private static void runReplicas(LocalCluster cluster, Path data) throws Exception {
        CountDownLatch stopping = stopOnExit(cluster);
        try {
            cluster.start();
            for (BrokerNode replica : cluster.replicas()) {
                replica.start();
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.out.printf("name server %s with the controller at %s, data in %s%n", cluster.namesrvAddress(),
            cluster.controllerAddress(), data);
        for (BrokerNode replica : cluster.replicas()) {
            System.out.printf("broker-a replica pid %d: broker %s, MQTT port %d (served while it is master), logs in %s%n",
                replica.process().pid(), replica.address(), replica.mqttPort(), replica.home().logDir());
        }
        System.out.println("Only the master listens for MQTT; kill -9 its pid to watch a slave take over. Ctrl-C stops");
        while (stopping.getCount() == 1 && cluster.replicas().stream().anyMatch(BrokerNode::isAlive)) {
            Thread.sleep(500);
        }
    }

    private static void run(LocalCluster cluster, Path data) throws Exception {
        CountDownLatch stopping = stopOnExit(cluster);
        try {
            cluster.start();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.out.printf("name server %s, cluster %s, data in %s%n", cluster.namesrvAddress(), LocalCluster.CLUSTER_NAME, data);
        List<String> mqttPorts = new ArrayList<>();
        for (BrokerNode broker : cluster.masters()) {
            System.out.printf("%s: broker %s, MQTT port %d, logs in %s (plugin: broker_default.log)%n",
                broker.brokerName(), broker.address(), broker.mqttPort(), broker.home().logDir());
            System.out.println("  " + listeners(broker.conf()));
            mqttPorts.add(String.valueOf(broker.mqttPort()));
        }
        System.out.println(accessSummary(cluster.brokerConf(), String.join(", ", mqttPorts)));
        System.out.println("Ctrl-C stops");
        while (stopping.getCount() == 1 && cluster.masters().stream().allMatch(BrokerNode::isAlive)) {
            Thread.sleep(500);
        }
        if (stopping.getCount() == 1) {
            String exited = cluster.masters().stream().filter(broker -> !broker.isAlive()).map(BrokerNode::brokerName)
                .collect(Collectors.joining(", "));
            System.err.println(exited + " exited:\n" + cluster.diagnostics());
            System.exit(1);
        }
    }

    /** Stops the cluster when the JVM exits (Ctrl-C); the latch opens when that starts. */
    private static CountDownLatch stopOnExit(LocalCluster cluster) {
        CountDownLatch stopping = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            System.out.println("stopping the brokers and the name server ...");
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quickstart-stop"));
        return stopping;
    }

    /**
     * The group's broker.conf additions: the shared ones with every port moved up for the group,
     * so the groups of one machine do not collide: the MQTT port by 1 per group, others by 10.
     */
    static Map<String, String> portsOfGroup(Map<String, String> conf, int group) {
        Map<String, String> groupConf = new LinkedHashMap<>(conf);
        groupConf.replaceAll((key, value) -> key.endsWith("Port") && value.matches("[1-9]\\d{0,4}")
            ? String.valueOf(Integer.parseInt(value) + group * (key.equals("mqttListenPort") ? 1 : GROUP_PORT_STEP))
            : value);
        return groupConf;
    }

    /** The broker runs in its own directory: TLS files named relative to where the script ran must still be found. */
    private static void absoluteTlsFiles(Map<String, String> conf) {
        conf.replaceAll((key, value) -> key.startsWith("mqttTls") && key.endsWith("File") && !value.isEmpty()
            ? Path.of(value).toAbsolutePath().toString() : value);
    }

    /** The URLs clients connect to, one per listener broker.conf turns on. */
    private static String listeners(Map<String, String> conf) {
        StringBuilder urls = new StringBuilder("MQTT listeners: tcp://127.0.0.1:" + conf.get("mqttListenPort"));
        String path = conf.getOrDefault("mqttWsPath", "/mqtt");
        appendIfOn(urls, "ssl://127.0.0.1:", conf.get("mqttTlsPort"), "");
        appendIfOn(urls, "ws://127.0.0.1:", conf.get("mqttWsPort"), path);
        appendIfOn(urls, "wss://127.0.0.1:", conf.get("mqttWssPort"), path);
        if (Boolean.parseBoolean(conf.get("mqttProxyProtocol"))) {
            urls.append(" (each connection must start with a PROXY protocol header)");
        }
        return urls.toString();
    }

    private static void appendIfOn(StringBuilder urls, String prefix, String port, String path) {
        if (port != null && !port.equals("0")) {
            urls.append(", ").append(prefix).append(port).append(path);
        }
    }

    /** Who may connect (on {@code ports}), so nobody runs an open broker without knowing it. */
    private static String accessSummary(Map<String, String> conf, String ports) {
        if (Boolean.parseBoolean(conf.get("authenticationEnabled"))) {
            return "MQTT on " + ports + ": clients log in as broker users"
                + (Boolean.parseBoolean(conf.get("authorizationEnabled")) ? ", checked against the broker's ACLs" : "");
        }
        if (!Boolean.parseBoolean(conf.getOrDefault("mqttAllowAnonymous", "true"))) {
            return "MQTT on " + ports
                + ": clients must send a user name (not verified: broker authentication is off); see README Security";
        }
        return "MQTT on " + ports + ", anonymous access ON: any client may connect; see README Security";
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
