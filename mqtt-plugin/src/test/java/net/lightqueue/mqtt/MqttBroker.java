package net.lightqueue.mqtt;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.host.testing.InProcessBroker;

/** An in-process broker with the MQTT plugin on a free loopback port. */
final class MqttBroker implements AutoCloseable {

    private final InProcessBroker broker;
    private final MqttPlugin plugin;

    private MqttBroker(InProcessBroker broker) {
        this.broker = broker;
        this.plugin = broker.host().plugins().stream()
            .filter(MqttPlugin.class::isInstance).map(MqttPlugin.class::cast)
            .findFirst().orElseThrow();
    }

    /** @param dir the broker's store, a directory the test owns (JUnit's {@code @TempDir}) */
    static MqttBroker start(Path dir, String... settings) throws Exception {
        return start(dir, InProcessBroker.Placement.ALONE, settings);
    }

    /** A broker placed in a cluster, e.g. as the master of one of its groups. */
    static MqttBroker start(Path dir, InProcessBroker.Placement placement, String... settings) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mqttListenPort", "0");
        properties.setProperty("mqttListenHost", "127.0.0.1");
        for (String setting : settings) {
            String[] keyValue = setting.split("=", 2);
            properties.setProperty(keyValue[0], keyValue[1]);
        }
        return new MqttBroker(InProcessBroker.start(dir, properties, placement));
    }

    /** A port free right now, for listeners whose port 0 means off. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return plugin.boundPort();
    }

    String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    MqttPlugin plugin() {
        return plugin;
    }

    InProcessBroker broker() {
        return broker;
    }

    LightQueueDispatcher queues() {
        return plugin.dispatcher();
    }

    @Override
    public void close() {
        broker.close();
    }
}
