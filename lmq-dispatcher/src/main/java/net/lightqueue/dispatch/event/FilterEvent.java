package net.lightqueue.dispatch.event;

/**
 * A change of the live filter set, written to the plugin's event topic and applied by the
 * dispatcher at its commitlog position.
 */
public sealed interface FilterEvent {

    /**
     * Matches the {@link #requestId()} of an event with the local caller waiting for it; 0 when
     * nobody waits. Only meaningful inside the process that wrote the event.
     */
    long requestId();

    String subscriberId();

    String filter();

    /** A subscriber adds a filter, with opaque options the protocol plugin reads back later. */
    record Subscribe(long requestId, String subscriberId, String filter, byte[] options) implements FilterEvent {
    }

    /** A subscriber removes a filter. */
    record Unsubscribe(long requestId, String subscriberId, String filter) implements FilterEvent {
    }
}
