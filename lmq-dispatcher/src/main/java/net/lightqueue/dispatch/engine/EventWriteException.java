package net.lightqueue.dispatch.engine;

/** An event could not be written to the commitlog (e.g. the broker is a slave, or its disk is full). */
final class EventWriteException extends RuntimeException {

    EventWriteException(String message) {
        super(message);
    }
}
