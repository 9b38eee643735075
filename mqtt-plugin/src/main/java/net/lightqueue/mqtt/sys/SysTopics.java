package net.lightqueue.mqtt.sys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import net.lightqueue.dispatch.RetainedMessages;
import net.lightqueue.dispatch.SubscriptionTable;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;

/** The values published under {@code $SYS/broker/}, with Mosquitto's topic names. */
public final class SysTopics {

    private final String version;
    private final long startedMillis;
    private final IntSupplier clientsConnected;
    private final TrafficCounters traffic;
    private final UndeliverableMessages undeliverable;
    private final SubscriptionTable subscriptions;
    private final RetainedMessages retained;

    public SysTopics(String version, long startedMillis, IntSupplier clientsConnected, TrafficCounters traffic,
              UndeliverableMessages undeliverable, SubscriptionTable subscriptions, RetainedMessages retained) {
        this.version = version;
        this.startedMillis = startedMillis;
        this.clientsConnected = clientsConnected;
        this.traffic = traffic;
        this.undeliverable = undeliverable;
        this.subscriptions = subscriptions;
        this.retained = retained;
    }

    /** MQTT topic to payload, as of now. */
    Map<String, String> values(long nowMillis) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("$SYS/broker/version", version);
        values.put("$SYS/broker/uptime", (nowMillis - startedMillis) / 1000 + " seconds");
        values.put("$SYS/broker/clients/connected", Integer.toString(clientsConnected.getAsInt()));
        values.put("$SYS/broker/messages/received", Long.toString(traffic.received()));
        values.put("$SYS/broker/messages/sent", Long.toString(traffic.sent()));
        values.put("$SYS/broker/publish/messages/dropped", Long.toString(undeliverable.count()));
        values.put("$SYS/broker/subscriptions/count", Long.toString(subscriptions.subscriptionCount()));
        values.put("$SYS/broker/retained messages/count", Long.toString(retained.retainedCount()));
        return values;
    }
}
