package net.lightqueue.mqtt.metrics;

import java.util.List;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.publish.RefusedPublishes;
import net.lightqueue.mqtt.server.ConnectionRegistry;
import net.lightqueue.mqtt.session.SessionLifecycle;
import net.lightqueue.mqtt.shared.SharedGroups;
import net.lightqueue.mqtt.sys.TrafficCounters;

/**
 * The state and counters the instruments read when the broker's metrics are collected.
 *
 * @param listeners the names of the listeners broker.conf turns on, reported even while no client uses them
 */
public record MetricSources(List<String> listeners, ConnectionRegistry connections, TrafficCounters traffic,
                            SessionLifecycle sessions, SharedGroups shared, UndeliverableMessages undeliverable,
                            RefusedPublishes refused, DeliveryMetrics deliveries, LightQueueDispatcher dispatcher) {
}
