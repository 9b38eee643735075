package net.lightqueue.dispatch.engine;

/** A filter event could not be written to the commitlog (e.g. the broker is a slave, or its disk is full). */
public class EventWriteException extends RuntimeException {

    public EventWriteException(String message) {
        super(message);
    }
}
