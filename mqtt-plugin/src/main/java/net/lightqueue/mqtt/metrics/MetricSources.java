package net.lightqueue.mqtt.metrics;

import net.lightqueue.dispatch.RetainedMessages;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.server.ConnectionRegistry;
import net.lightqueue.mqtt.session.SessionLifecycle;
import net.lightqueue.mqtt.sys.TrafficCounters;

/** The state and counters the instruments read when the broker's metrics are collected. */
public record MetricSources(ConnectionRegistry connections, TrafficCounters traffic, SessionLifecycle sessions,
                            UndeliverableMessages undeliverable, SubscriptionTable subscriptions,
                            RetainedMessages retained) {
}
