package net.lightqueue.mqtt.subscribe;

import net.lightqueue.mqtt.delivery.SubscriptionOptions;

/** Whether a SUBSCRIBE gets the retained messages of its filter (MQTT 5 section 3.8.3.1). */
final class RetainHandling {

    static final int SEND = 0;
    static final int SEND_IF_NEW = 1;

    private RetainHandling() {
    }

    /**
     * 0: always [MQTT-3.3.1-9]; 1: only if the subscription did not exist [MQTT-3.3.1-10];
     * 2: never [MQTT-3.3.1-11]. A v3 subscription has handling 0: MQTT 3.1.1 always sends them.
     */
    static boolean sendsRetained(SubscriptionOptions options, boolean newSubscription) {
        return options.retainHandling() == SEND || options.retainHandling() == SEND_IF_NEW && newSubscription;
    }
}
