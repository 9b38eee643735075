package net.lightqueue.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.host.testing.InProcessBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process broker shared by every test of a class, in a store directory of its own:
 * {@code @RegisterExtension static final ClassBroker broker = new ClassBroker("key=value", ...);}.
 * Started before the class's own {@code @BeforeAll} methods, stopped after its {@code @AfterAll}.
 */
final class ClassBroker implements BeforeAllCallback, AfterAllCallback {

    private final String[] settings;
    private Path store;
    private MqttBroker broker;

    /** @param settings broker.conf lines for this broker, as {@link MqttBroker#start} takes them */
    ClassBroker(String... settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        store = Files.createTempDirectory("mqtt-broker");
        broker = MqttBroker.start(store, settings);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        broker.close();
        try (Stream<Path> files = Files.walk(store)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    int port() {
        return broker.port();
    }

    String uri() {
        return broker.uri();
    }

    MqttPlugin plugin() {
        return broker.plugin();
    }

    InProcessBroker broker() {
        return broker.broker();
    }

    LightQueueDispatcher queues() {
        return broker.queues();
    }
}
