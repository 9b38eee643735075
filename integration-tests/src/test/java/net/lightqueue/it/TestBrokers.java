package net.lightqueue.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Broker homes for tests, built from what Maven prepared (broker-lib/ and the release jar),
 * and one cluster shared by every test class that only needs a running broker: starting a
 * broker process takes seconds, so the suite starts it once and stops it when the JVM exits.
 */
public final class TestBrokers {

    private static LocalCluster shared;

    private TestBrokers() {
    }

    public static Path brokerLib() {
        return Path.of(required("broker.lib.dir"));
    }

    public static Path releaseJar() {
        return Path.of(required("release.jar"));
    }

    public static Path pluginApiJar() {
        return Path.of(required("plugin-api.jar"));
    }

    /** A fresh home with our release jar in lib/. */
    public static BrokerHome newHome(String name) throws IOException {
        return BrokerHome.create(newWorkDir(name), brokerLib(), releaseJar());
    }

    /** A new directory under target/, kept after the run for post-mortems. */
    public static Path newWorkDir(String name) throws IOException {
        Path work = Files.createDirectories(Path.of(required("test.work.dir")));
        return Files.createTempDirectory(work, name + "-");
    }

    /** A fresh cluster of one group with the plugin on free ports, MQTT on a free port too; not started. */
    public static LocalCluster newCluster(String name, Map<String, String> extraConf) throws IOException {
        return LocalCluster.prepare(newHome(name), testConf(FreePorts.one(), extraConf));
    }

    /**
     * Adds the next broker group (broker-b, broker-c ...) to {@code cluster}, with the plugin,
     * in a fresh home, on free ports; started with the cluster if added before its start.
     */
    public static BrokerNode addGroup(LocalCluster cluster, String name, Map<String, String> extraConf)
        throws IOException {
        return cluster.addGroup(newHome(name), testConf(cluster.freePort(), extraConf));
    }

    /**
     * Adds a replica of broker-a to a cluster prepared with a controller, with the plugin, in a
     * fresh home, on free ports (MQTT too); started by {@link BrokerNode#start()}.
     */
    public static BrokerNode addReplica(LocalCluster cluster, String name, Map<String, String> extraConf)
        throws IOException {
        return cluster.addReplica(newHome(name), testConf(cluster.freePort(), extraConf));
    }

    private static Map<String, String> testConf(int mqttPort, Map<String, String> extraConf) {
        Map<String, String> conf = new HashMap<>(Map.of("mqttListenPort", String.valueOf(mqttPort)));
        // No test pops messages; without the file-based POP services a clean stop skips their
        // fixed waits (2 s in the buffer merge service, up to 1 s in revive).
        conf.put("popConsumerFSServiceInit", "false");
        conf.putAll(extraConf);
        return conf;
    }

    /** The suite's shared running cluster. */
    public static synchronized LocalCluster shared() throws IOException, InterruptedException {
        if (shared == null) {
            LocalCluster cluster = newCluster("shared", Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            cluster.start();
            shared = cluster;
        }
        return shared;
    }

    /** The MQTT port of the first group's master. */
    public static int mqttPort(LocalCluster cluster) {
        return cluster.master().mqttPort();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests through Maven");
        }
        return value;
    }
}
