package net.lightqueue.mqtt.session;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.cluster.RemoteQueues;
import net.lightqueue.mqtt.cluster.SessionClaims;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.SharedPayloads;
import net.lightqueue.mqtt.delivery.QueueCursors;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.shared.SharedGroups;

/**
 * What sessions share.
 *
 * @param cursors opens the cursors of subscriptions in this broker's queues
 * @param remote opens their cursors in the other broker groups' queues
 * @param claims takes sessions over from the other broker groups
 * @param timers the one thread of session timers (progress batches, expiry, will delays) and state steps
 * @param clock what disconnect times, expiry and will delays are measured with
 * @param undeliverable where every session's deliveries count the messages they had to skip
 * @param deliveries where every session's deliveries report their in-flight count and latency
 * @param payloads the large payloads every session's deliveries share
 */
public record SessionServices(MqttSettings settings, QueueCursors cursors, RemoteQueues remote, SessionClaims claims,
                              SessionStore store,
                              SharedGroups shared, ScheduledExecutorService timers, Clock clock,
                              UndeliverableMessages undeliverable, DeliveryMetrics deliveries, SharedPayloads payloads) {
}
