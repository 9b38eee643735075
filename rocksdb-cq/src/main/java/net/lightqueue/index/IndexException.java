package net.lightqueue.index;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

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

    /** Whether it comes from a file system without space left (ENOSPC), here or in a cause. */
    public boolean diskFull() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            if (t instanceof RocksDBException rocks && rocks.getStatus() != null
                    && rocks.getStatus().getSubCode() == Status.SubCode.NoSpace) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
