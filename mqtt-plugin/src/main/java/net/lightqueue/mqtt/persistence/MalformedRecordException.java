package net.lightqueue.mqtt.persistence;

/** Bytes of a stored state record that do not decode as the record they are kept as. */
public final class MalformedRecordException extends IllegalStateException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
