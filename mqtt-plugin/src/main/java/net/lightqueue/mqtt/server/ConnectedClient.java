package net.lightqueue.mqtt.server;

import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.session.Session;

/**
 * One channel's client: its connection and, once CONNACK is sent, the session it holds.
 * Confined to the channel's event loop; a connection taking over the client id takes the
 * session on this loop.
 */
final class ConnectedClient {

    private final MqttConnection connection;
    private Session session;

    ConnectedClient(MqttConnection connection) {
        this.connection = connection;
    }

    MqttConnection connection() {
        return connection;
    }

    String clientId() {
        return connection.clientId();
    }

    /** The session, or null before CONNACK and after it was taken. */
    Session session() {
        return session;
    }

    void session(Session attached) {
        this.session = attached;
    }

    /** Hands the session to whoever ends or inherits it; the client no longer has one. */
    Session takeSession() {
        Session taken = session;
        session = null;
        return taken;
    }
}
