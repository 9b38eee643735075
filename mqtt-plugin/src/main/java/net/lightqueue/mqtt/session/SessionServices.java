package net.lightqueue.mqtt.session;

import java.util.concurrent.ScheduledExecutorService;
import net.lightqueue.dispatch.LightQueues;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.persistence.SessionStore;

/**
 * What sessions share.
 *
 * @param timers the one thread of session timers (progress batches, expiry, will delays) and state steps
 * @param undeliverable where every session's deliveries count the messages they had to skip
 */
public record SessionServices(MqttSettings settings, LightQueues queues, SessionStore store, ArrivalRouter router,
                              SharedGroups shared, ScheduledExecutorService timers,
                              UndeliverableMessages undeliverable) {
}
