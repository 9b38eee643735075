package net.lightqueue.dispatch.event;

import java.util.List;
import net.lightqueue.dispatch.StateChange;

/** Changes of the protocol plugin's own state families, applied together. */
public record StateEvent(long requestId, List<StateChange> changes) implements Event {

    public StateEvent {
        changes = List.copyOf(changes);
    }
}
