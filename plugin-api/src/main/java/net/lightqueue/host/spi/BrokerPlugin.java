package net.lightqueue.host.spi;

import java.util.List;

/**
 * A protocol plugin hosted inside the RocketMQ broker JVM (MQTT today; nothing here is
 * MQTT-specific). Implementations are found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/net.lightqueue.host.spi.BrokerPlugin} and need a public no-argument
 * constructor.
 *
 * <p>Lifecycle, driven by the broker:
 * <ol>
 *   <li>{@link #load} before the message store recovers: register dispatchers and the
 *       dispatch store here, so the broker's own recovery replays the commitlog into them;</li>
 *   <li>{@link #start} once the store is running, before the broker's remoting listens;</li>
 *   <li>{@link #roleChanged} whenever the broker becomes master or slave (also once at start);</li>
 *   <li>{@link #stop} before the store shuts down.</li>
 * </ol>
 * An exception from {@code load} or {@code start} fails the broker start.
 */
public interface BrokerPlugin {

    /** A short stable name: used in log lines and as the folder of the plugin's data. */
    String name();

    /**
     * The types of this plugin's settings groups (e.g. the server's and its index's), each
     * instantiated by the host and bound from broker.conf (see
     * {@link net.lightqueue.host.config.Setting}); read them with {@link PluginContext#settings}.
     */
    default List<Class<?>> settingsTypes() {
        return List.of();
    }

    void load(PluginContext context) throws Exception;

    void start() throws Exception;

    /** Whether this broker is now the master (accepts writes) or a slave. */
    default void roleChanged(boolean master) {
    }

    void stop();
}
