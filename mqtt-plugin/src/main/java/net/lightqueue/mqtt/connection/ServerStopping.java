package net.lightqueue.mqtt.connection;

/** Fired through a connection's pipeline when the server stops serving it (shutdown, or the broker became a slave). */
public enum ServerStopping {
    INSTANCE
}
