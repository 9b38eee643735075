package net.lightqueue.mqtt.server;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.listener.Listener;

/** The connected client of each client identifier; a new connection with the same id takes over. */
public final class ConnectionRegistry {

    /** What {@link #countByListenerAndVersion} calls the channels no listener accepted. */
    public static final String IN_VM = "in_vm";

    private final ConcurrentMap<String, ConnectedClient> byClientId = new ConcurrentHashMap<>();

    /**
     * Makes {@code client} the one of its client id.
     *
     * @return the client it replaces, whose connection the caller must close [MQTT-3.1.4-3], or null
     */
    ConnectedClient register(ConnectedClient client) {
        return byClientId.put(client.clientId(), client);
    }

    /** Forgets the client of the id, whose session another broker group takes over; null if none is connected. */
    ConnectedClient takeAway(String clientId) {
        return byClientId.remove(clientId);
    }

    /** Forgets the client unless another connection already took its client id over. */
    void remove(ConnectedClient client) {
        if (client.clientId() != null) {
            byClientId.remove(client.clientId(), client);
        }
    }

    /** Clients with an accepted CONNECT. */
    public int count() {
        return byClientId.size();
    }

    /** Who the connected client of {@code clientId} is to the access control, or null when none is connected. */
    public AccessControl.Client accessClient(String clientId) {
        ConnectedClient client = byClientId.get(clientId);
        return client == null ? null : client.connection().accessClient();
    }

    /**
     * Clients with an accepted CONNECT by the listener that accepted them ({@link #IN_VM} for
     * in-VM channels) and protocol version; walks the registry, so for metrics reads, not per packet.
     */
    public Map<String, Map<MqttVersion, Integer>> countByListenerAndVersion() {
        Map<String, Map<MqttVersion, Integer>> counts = new HashMap<>();
        for (ConnectedClient client : byClientId.values()) {
            MqttVersion version = client.connection().version();
            if (version != null) {
                Listener listener = Listener.of(client.connection().channel());
                counts.computeIfAbsent(listener == null ? IN_VM : listener.name(), name -> new EnumMap<>(MqttVersion.class))
                    .merge(version, 1, Integer::sum);
            }
        }
        return counts;
    }
}
