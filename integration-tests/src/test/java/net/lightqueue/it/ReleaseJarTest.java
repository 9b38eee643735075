package net.lightqueue.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The release artifact is one thin jar: our classes and service entries, nothing else. */
class ReleaseJarTest {

    @Test
    void holdsOnlyOurClassesAndServiceEntries() throws IOException {
        try (JarFile jar = new JarFile(TestBrokers.releaseJar().toFile())) {
            List<String> foreign = jar.stream().map(JarEntry::getName)
                .filter(name -> !name.endsWith("/"))
                .filter(name -> !name.startsWith("net/lightqueue/"))
                .filter(name -> !name.equals("META-INF/MANIFEST.MF"))
                .filter(name -> !name.startsWith("META-INF/services/net.lightqueue."))
                .toList();
            assertEquals(List.of(), foreign, "third-party or stray files in the release jar");
            for (String module : List.of("host/PluginHost.class", "index/", "dispatch/", "mqtt/")) {
                assertTrue(jar.stream().anyMatch(e -> e.getName().startsWith("net/lightqueue/" + module)),
                    "the release jar lacks net/lightqueue/" + module);
            }
        }
    }
}
