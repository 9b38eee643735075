package net.lightqueue.mqtt.session;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.lightqueue.mqtt.connection.MqttConnection;

/** The connected client of each client identifier; a new connection with the same id takes over. */
public final class SessionRegistry {

    private final ConcurrentMap<String, MqttConnection> byClientId = new ConcurrentHashMap<>();

    /**
     * Makes {@code connection} the one of its client id.
     *
     * @return the connection it replaces, which the caller must close [MQTT-3.1.4-3], or null
     */
    public MqttConnection register(MqttConnection connection) {
        return byClientId.put(connection.clientId(), connection);
    }

    /** Forgets the connection unless another one already took its client id over. */
    public void remove(MqttConnection connection) {
        if (connection.clientId() != null) {
            byClientId.remove(connection.clientId(), connection);
        }
    }

    public Collection<MqttConnection> connections() {
        return byClientId.values();
    }
}
