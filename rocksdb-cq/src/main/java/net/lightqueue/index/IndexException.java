package net.lightqueue.index;

/**
 * Thrown when the index cannot do what was asked: bad input (an oversized queue name, an unknown
 * family), a closed index, a directory that is locked, foreign or corrupt, or a RocksDB failure.
 * The message names what is wrong; the cause, if any, is the underlying RocksDB error.
 */
public class IndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexException(String message) {
        super(message);
    }

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
