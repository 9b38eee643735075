package net.lightqueue.dispatch.engine;

import net.lightqueue.dispatch.Subscription;

/**
 * What the writer of an event learns once the dispatcher applied it.
 *
 * @param commitLogOffset where the event sits in the commitlog
 * @param subscription    the applied subscription of a subscribe event, else {@code null}
 */
public record AppliedEvent(long commitLogOffset, Subscription subscription) {
}
