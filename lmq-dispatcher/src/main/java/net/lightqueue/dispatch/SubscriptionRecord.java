package net.lightqueue.dispatch;

/**
 * A subscription as the index holds it.
 *
 * @param startOffset the filter's queue offset from which the subscriber read when it (last)
 *                    subscribed
 * @param options     the opaque options given to {@link SubscriptionTable#subscribe}
 */
public record SubscriptionRecord(String filter, long startOffset, byte[] options) {
}
