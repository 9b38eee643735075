package net.lightqueue.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A RocketMQ home directory assembled the way an operator installs the plugin: {@code lib/}
 * holds the broker's runtime jars and our release jar, {@code conf/broker.conf} names
 * {@code PluginHost} in {@code messageStorePlugIn}. Store and logs live under the home too
 * (logs go to {@code <home>/logs/rocketmqlogs}, because the broker logs under user.home).
 */
public final class BrokerHome {

    public static final String PLUGIN_HOST = "net.lightqueue.host.PluginHost";

    private final Path dir;

    private BrokerHome(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates (or refreshes) a home in {@code dir}: lib/ links to every jar of
     * {@code brokerLib} and to {@code releaseJar} (none when null: a broker without the plugin).
     */
    public static BrokerHome create(Path dir, Path brokerLib, Path releaseJar) throws IOException {
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib);
        try (Stream<Path> old = Files.list(lib)) {
            for (Path jar : old.toList()) {
                Files.delete(jar);
            }
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> brokerJars = Files.list(brokerLib)) {
            brokerJars.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no broker jars in " + brokerLib + "; run 'mvn package -DskipTests' first");
        }
        if (releaseJar != null) {
            if (!Files.isRegularFile(releaseJar)) {
                throw new IllegalStateException("release jar " + releaseJar + " not found; run 'mvn package -DskipTests' first");
            }
            jars.add(releaseJar);
        }
        for (Path jar : jars) {
            Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        Files.createDirectories(dir.resolve("conf"));
        return new BrokerHome(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path store() {
        return dir.resolve("store");
    }

    public Path brokerConf() {
        return dir.resolve("conf/broker.conf");
    }

    public Path logDir() {
        return dir.resolve("logs/rocketmqlogs");
    }

    /** Writes conf/broker.conf: the given keys, sorted, one per line. */
    public void writeBrokerConf(Map<String, String> settings) {
        try (Writer out = Files.newBufferedWriter(brokerConf(), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
                out.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java command for a server main class in this home. */
    List<String> javaCommand(String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-server", "-Xms" + heap, "-Xmx" + heap, "-XX:MaxDirectMemorySize=1g", "-XX:+UseG1GC",
            "-XX:-OmitStackTraceInFastThrow",
            "-Duser.home=" + dir.toAbsolutePath(),
            "-Drocketmq.home.dir=" + dir.toAbsolutePath(),
            "-cp", dir.resolve("conf").toAbsolutePath() + java.io.File.pathSeparator + dir.resolve("lib").toAbsolutePath() + "/*",
            mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The last lines of the broker's log files, for failure messages. */
    public String logTail(String file, int lines) {
        Path log = logDir().resolve(file);
        try {
            if (!Files.exists(log)) {
                return "(no " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
