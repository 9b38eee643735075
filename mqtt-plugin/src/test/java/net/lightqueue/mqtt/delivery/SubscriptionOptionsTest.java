package net.lightqueue.mqtt.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import org.junit.jupiter.api.Test;

class SubscriptionOptionsTest {

    /** Every Subscription Options byte (MQTT 5 section 3.8.3.1) with identifiers of each encoded length. */
    @Test
    void everyCombinationOfOptionsAndIdentifierSurvivesItsStoredForm() {
        for (int qos = 0; qos <= 2; qos++) {
            for (RetainedHandlingPolicy retain : RetainedHandlingPolicy.values()) {
                for (int bits = 0; bits < 4; bits++) {
                    MqttSubscriptionOption option = new MqttSubscriptionOption(MqttQoS.valueOf(qos), (bits & 1) != 0,
                        (bits & 2) != 0, retain);
                    for (int id : new int[] {0, 1, 127, 128, 16_383, 16_384, 268_435_455}) {
                        SubscriptionOptions options = SubscriptionOptions.of(option, qos, id);
                        assertEquals(new SubscriptionOptions(qos, (bits & 1) != 0, (bits & 2) != 0, retain.value(), id),
                            options);
                        SubscriptionOptions stored = SubscriptionOptions.decode(options.encode());
                        assertEquals(options, stored);
                        assertArrayEquals(options.encode(), stored.encode());
                    }
                }
            }
        }
    }

    @Test
    void optionsWithoutAnIdentifierAreOneSharedInstance() {
        MqttSubscriptionOption option = new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, false, true,
            RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS);
        SubscriptionOptions granted = SubscriptionOptions.of(option, 1, 0);
        assertSame(granted, SubscriptionOptions.of(option, 1, 0));
        assertSame(granted, SubscriptionOptions.decode(granted.encode()));
        assertEquals(7, SubscriptionOptions.of(option, 1, 7).subscriptionId());
    }
}
