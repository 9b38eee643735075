package net.lightqueue.dispatch.engine;

/** Bytes kept as a retained message, or a cleared topic, in the index that do not decode as one. */
final class MalformedRetainedMessageException extends IllegalStateException {

    MalformedRetainedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
