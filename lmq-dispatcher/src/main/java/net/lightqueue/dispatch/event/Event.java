package net.lightqueue.dispatch.event;

/** An event in the plugin's event topic, applied by the dispatcher at its commitlog position. */
public sealed interface Event permits FilterEvent, StateEvent {

    /**
     * Matches the event with the local caller waiting for it; 0 when nobody waits. Only
     * meaningful inside the process that wrote the event.
     */
    long requestId();
}
