package net.lightqueue.host.peer;

/** A peer could not be reached, did not answer in time, or answered with an error. */
public final class PeerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
