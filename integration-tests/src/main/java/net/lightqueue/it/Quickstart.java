package net.lightqueue.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a name server and a broker with the plugin from a local folder, on the usual ports:
 * name server 9876, broker 10911, MQTT 1883. Ctrl-C stops the broker gracefully, then the
 * name server. Used by {@code bin/run-broker.sh}.
 *
 * <pre>
 * Quickstart --broker-lib DIR --release-jar JAR [--data DIR] [--mqtt-port 1883]
 *            [--namesrv-port 9876] [--broker-port 10911] [key=value ...]
 * </pre>
 * Extra {@code key=value} arguments go to broker.conf.
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
            "--data", "data", "--mqtt-port", "1883", "--namesrv-port", "9876", "--broker-port", "10911"));
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
        conf.putIfAbsent("mqttListenPort", options.get("--mqtt-port"));
        absoluteTlsFiles(conf);
        Path data = Path.of(options.get("--data")).toAbsolutePath();
        Files.createDirectories(data);
        BrokerHome home = BrokerHome.create(data, Path.of(required(options, "--broker-lib")),
            Path.of(required(options, "--release-jar")));
        LocalCluster cluster = LocalCluster.prepare(home, Integer.parseInt(options.get("--namesrv-port")),
            Integer.parseInt(options.get("--broker-port")), conf);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the broker and the name server ...");
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "quickstart-stop"));
        try {
            cluster.start();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.out.printf("name server 127.0.0.1:%s, broker %s, MQTT port %s, data in %s%n",
            options.get("--namesrv-port"), cluster.brokerAddress(), conf.get("mqttListenPort"), data);
        System.out.println(listeners(conf));
        System.out.println(accessSummary(conf));
        System.out.println("logs: " + home.logDir() + " (plugin: broker_default.log); Ctrl-C stops");
        while (cluster.broker().isAlive()) {
            Thread.sleep(500);
        }
        if (stopped.getCount() == 1) {
            System.err.println("the broker exited:\n" + cluster.diagnostics());
            System.exit(1);
        }
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

    /** Who may connect, so nobody runs an open broker without knowing it. */
    private static String accessSummary(Map<String, String> conf) {
        String port = conf.get("mqttListenPort");
        if (Boolean.parseBoolean(conf.get("authenticationEnabled"))) {
            return "MQTT on " + port + ": clients log in as broker users"
                + (Boolean.parseBoolean(conf.get("authorizationEnabled")) ? ", checked against the broker's ACLs" : "");
        }
        if (!Boolean.parseBoolean(conf.getOrDefault("mqttAllowAnonymous", "true"))) {
            return "MQTT on " + port
                + ": clients must send a user name (not verified: broker authentication is off); see README Security";
        }
        return "MQTT on " + port + ", anonymous access ON: any client may connect; see README Security";
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
