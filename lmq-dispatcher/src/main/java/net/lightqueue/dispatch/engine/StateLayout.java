package net.lightqueue.dispatch.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * How the dispatcher's derived state is laid out in the index's derived-state families. Each
 * filter's queue is named by the exact filter string.
 *
 * <pre>
 * family "filters":       key = filter (UTF-8)                    value = subscription count:i32
 * family "subscriptions": key = subscriberId 0x00 filter (UTF-8)  value = startOffset:i64
 *                                                                         eventOffset:i64 options
 * family "retained":      key = MQTT topic (UTF-8)                value = the message or the topic's
 *                                                                         clearing, see {@link RetainedCodec}
 * family "counters":      key = "retained" / "subscriptions"      value = count:i64
 *                         key = "last-applied"                    value = commitLogOffset:i64 size:i32
 *                                                                         storeTimestamp:i64
 * </pre>
 * MQTT strings never contain U+0000 [MQTT-1.5.4-2], so the separator is unambiguous and a
 * prefix scan on {@code subscriberId 0x00} lists one subscriber's filters.
 */
final class StateLayout {

    static final String FILTERS = "filters";
    static final String SUBSCRIPTIONS = "subscriptions";
    static final String RETAINED = "retained";
    static final String COUNTERS = "counters";
    /** The families of the dispatcher's own state, next to the protocol plugin's. */
    static final List<String> OWN_FAMILIES = List.of(FILTERS, SUBSCRIPTIONS, RETAINED, COUNTERS);
    static final byte[] RETAINED_COUNT = utf8("retained");
    static final byte[] SUBSCRIPTION_COUNT = utf8("subscriptions");
    /** The last message applied, written with every commit: the index knows when the commitlog lost it. */
    static final byte[] LAST_APPLIED = utf8("last-applied");

    private StateLayout() {
    }

    static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    static byte[] count(int count) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(count).array();
    }

    static int countOf(byte[] value) {
        return ByteBuffer.wrap(value).getInt();
    }

    static byte[] longCount(long count) {
        return ByteBuffer.allocate(Long.BYTES).putLong(count).array();
    }

    static long longCountOf(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    static byte[] lastApplied(long commitLogOffset, int size, long storeTimestamp) {
        return ByteBuffer.allocate(2 * Long.BYTES + Integer.BYTES).putLong(commitLogOffset).putInt(size)
            .putLong(storeTimestamp).array();
    }

    static long lastAppliedOffsetOf(byte[] value) {
        return ByteBuffer.wrap(value).getLong(0);
    }

    static int lastAppliedSizeOf(byte[] value) {
        return ByteBuffer.wrap(value).getInt(Long.BYTES);
    }

    static long lastAppliedTimestampOf(byte[] value) {
        return ByteBuffer.wrap(value).getLong(Long.BYTES + Integer.BYTES);
    }

    static String subscriptionKey(String subscriberId, String filter) {
        return subscriberPrefix(subscriberId) + filter;
    }

    /** The prefix of every subscription key of one subscriber. */
    static String subscriberPrefix(String subscriberId) {
        return subscriberId + '\u0000';
    }

    static byte[] subscription(long startOffset, long eventOffset, byte[] options) {
        return ByteBuffer.allocate(2 * Long.BYTES + options.length)
            .putLong(startOffset).putLong(eventOffset).put(options).array();
    }

    static long startOffsetOf(byte[] subscription) {
        return ByteBuffer.wrap(subscription).getLong();
    }

    static byte[] optionsOf(byte[] subscription) {
        return Arrays.copyOfRange(subscription, 2 * Long.BYTES, subscription.length);
    }

}
