package net.lightqueue.dispatch.event;

/** Bytes in the event topic that do not decode as the version and type they announce. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
