package net.lightqueue.mqtt.connect;

import java.util.function.BooleanSupplier;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.topic.ReservedTopics;

/**
 * What CONNECT handling shares across connections.
 *
 * @param acceptingConnections false while this broker is a slave
 */
public record ConnectServices(MqttSettings settings, AccessControl access, ReservedTopics reserved,
    BooleanSupplier acceptingConnections) {
}
