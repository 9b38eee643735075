package net.lightqueue.mqtt.connect;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import net.lightqueue.dispatch.IndexFailure;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.topic.ReservedTopics;

/**
 * What CONNECT handling shares across connections.
 *
 * @param acceptingConnections false while this broker is a slave
 * @param indexFailure         why the light-queue index cannot be written at the moment: a session
 *                             cannot be recorded then
 */
public record ConnectServices(MqttSettings settings, AccessControl access, ReservedTopics reserved,
    BooleanSupplier acceptingConnections, Supplier<Optional<IndexFailure>> indexFailure) {
}
