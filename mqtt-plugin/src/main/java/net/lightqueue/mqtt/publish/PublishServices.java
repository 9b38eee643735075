package net.lightqueue.mqtt.publish;

import java.util.Optional;
import java.util.function.Supplier;
import net.lightqueue.dispatch.IndexFailure;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;

/**
 * What inbound publishing shares across connections.
 *
 * @param refused where every connection counts the publishes it refused
 * @param indexFailure why the light-queue index cannot be written at the moment, read per publish
 */
public record PublishServices(MqttSettings settings, AccessControl access, RocketTopics topics, MessageWriter writer,
                              RefusedPublishes refused, Supplier<Optional<IndexFailure>> indexFailure) {
}
