package net.lightqueue.dispatch;

/**
 * An applied subscription: the filter's queue and the offset of the first message published
 * after the subscription took effect.
 *
 * @param commitLogOffset where the subscription event sits in the commitlog
 */
public record Subscription(String subscriberId, String filter, long startOffset, long commitLogOffset) {
}
