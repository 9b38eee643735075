package net.lightqueue.mqtt.connect;

import java.util.function.BooleanSupplier;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;

/**
 * What CONNECT handling shares across connections.
 *
 * @param acceptingConnections false while this broker is a slave
 */
public record ConnectServices(MqttSettings settings, AccessControl access, BooleanSupplier acceptingConnections) {
}
