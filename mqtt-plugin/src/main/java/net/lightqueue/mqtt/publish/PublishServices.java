package net.lightqueue.mqtt.publish;

import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;

/** What inbound publishing shares across connections. */
public record PublishServices(MqttSettings settings, AccessControl access, RocketTopics topics, MessageWriter writer) {
}
