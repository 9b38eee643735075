package net.lightqueue.mqtt.server;

import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.connect.ConnectProcessor;
import net.lightqueue.mqtt.publish.PublishServices;
import net.lightqueue.mqtt.session.SessionLifecycle;
import net.lightqueue.mqtt.subscribe.SubscriptionRequests;

/** Everything a connection's handler uses that is shared by all connections. */
public record ConnectionServices(MqttSettings settings, ConnectProcessor connects, PublishServices publishing,
                                 SubscriptionRequests subscriptions, ConnectionRegistry registry,
                                 SessionLifecycle sessions) {
}
