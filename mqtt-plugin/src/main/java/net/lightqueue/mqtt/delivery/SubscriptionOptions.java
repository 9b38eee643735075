package net.lightqueue.mqtt.delivery;

import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import java.io.ByteArrayOutputStream;
import net.lightqueue.mqtt.persistence.MalformedRecordException;

/**
 * A subscription's options as granted, and their compact form stored with the subscription in
 * the commitlog: the MQTT 5 Subscription Options byte, then the Subscription Identifier as a
 * variable byte integer when there is one.
 *
 * @param subscriptionId 0 when the client gave none
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                                  int subscriptionId) {

    /**
     * Options without an identifier, by their options byte: subscriptions share these instead of
     * holding a copy each (most clients give no identifier, and most ask for the same options).
     */
    private static final SubscriptionOptions[] WITHOUT_ID = new SubscriptionOptions[64];

    static {
        for (int flags = 0; flags < WITHOUT_ID.length; flags++) {
            WITHOUT_ID[flags] = unpacked(flags, 0);
        }
    }

    public static SubscriptionOptions of(MqttSubscriptionOption option, int grantedQos, int subscriptionId) {
        return of(flags(grantedQos, option.isNoLocal(), option.isRetainAsPublished(), option.retainHandling().value()),
            subscriptionId);
    }

    private static SubscriptionOptions of(int flags, int subscriptionId) {
        return subscriptionId == 0 ? WITHOUT_ID[flags & 0x3F] : unpacked(flags, subscriptionId);
    }

    private static SubscriptionOptions unpacked(int flags, int subscriptionId) {
        return new SubscriptionOptions(flags & 0x03, (flags & 0x04) != 0, (flags & 0x08) != 0, (flags >> 4) & 0x03,
            subscriptionId);
    }

    /** @throws MalformedRecordException if the bytes are not options and at most a 4-byte identifier */
    public static SubscriptionOptions decode(byte[] encoded) {
        if (encoded.length < 1 || encoded.length > 5) {
            throw new MalformedRecordException("subscription options of " + encoded.length + " bytes");
        }
        int flags = encoded[0];
        int subscriptionId = 0;
        for (int i = 1, shift = 0; i < encoded.length; i++, shift += 7) {
            subscriptionId |= (encoded[i] & 0x7F) << shift;
        }
        return of(flags, subscriptionId);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(5);
        out.write(flags(qos, noLocal, retainAsPublished, retainHandling));
        for (int id = subscriptionId; id > 0; id >>>= 7) {
            out.write((id & 0x7F) | (id >= 0x80 ? 0x80 : 0));
        }
        return out.toByteArray();
    }

    /** The MQTT 5 Subscription Options byte. */
    private static int flags(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return qos | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling << 4;
    }
}
