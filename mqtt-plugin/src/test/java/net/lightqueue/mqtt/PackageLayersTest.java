package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the server import one way, down the list of docs/architecture.md: a package
 * uses only those below it, so no package knows one that knows it.
 */
class PackageLayersTest {

    /** Top to bottom, as in docs/architecture.md. */
    private static final List<String> LAYERS = List.of("metrics", "server", "sys", "listener", "connect", "subscribe", "session",
        "shared", "cluster", "publish", "delivery", "topic", "connection", "auth", "persistence", "codec", "message");

    private static final Path SOURCES = Path.of("src/main/java/net/lightqueue/mqtt");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?net\\.lightqueue\\.mqtt\\.([a-z]+)\\.",
        Pattern.MULTILINE);

    @Test
    void everyPackageIsInTheList() throws IOException {
        try (Stream<Path> packages = Files.list(SOURCES)) {
            List<String> found = packages.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                .sorted().toList();
            assertEquals(LAYERS.stream().sorted().toList(), found);
        }
    }

    @Test
    void importsPointOnlyDown() throws IOException {
        List<String> upward = new ArrayList<>();
        for (String layer : LAYERS) {
            try (Stream<Path> files = Files.list(SOURCES.resolve(layer))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    Matcher imported = IMPORT.matcher(Files.readString(file));
                    while (imported.find()) {
                        String target = imported.group(1);
                        if (!target.equals(layer) && LAYERS.indexOf(target) < LAYERS.indexOf(layer)) {
                            upward.add(layer + "/" + file.getFileName() + " imports " + target);
                        }
                    }
                }
            }
        }
        assertTrue(upward.isEmpty(), "imports against the layering: " + upward);
    }
}
