package net.lightqueue.dispatch.event;

/** A change of the live filter set: what one subscriber subscribes to. */
public sealed interface FilterEvent extends Event {

    String subscriberId();

    /** A subscriber adds a filter, with opaque options the protocol plugin reads back later. */
    record Subscribe(long requestId, String subscriberId, String filter, byte[] options) implements FilterEvent {
    }

    /** A subscriber removes a filter. */
    record Unsubscribe(long requestId, String subscriberId, String filter) implements FilterEvent {
    }

    /** A subscriber removes every filter it holds (clean start, session expiry, cleanup after a crash). */
    record UnsubscribeAll(long requestId, String subscriberId) implements FilterEvent {
    }
}
