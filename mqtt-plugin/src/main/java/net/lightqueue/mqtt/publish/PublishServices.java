package net.lightqueue.mqtt.publish;

import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;

/**
 * What inbound publishing shares across connections.
 *
 * @param refused where every connection counts the publishes it refused
 */
public record PublishServices(MqttSettings settings, AccessControl access, RocketTopics topics, MessageWriter writer,
                              RefusedPublishes refused) {
}
