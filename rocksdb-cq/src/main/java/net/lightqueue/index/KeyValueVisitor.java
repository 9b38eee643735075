package net.lightqueue.index;

/** Receives the key/value pairs of a scan, in key order. */
@FunctionalInterface
public interface KeyValueVisitor {
    /**
     * @return {@code true} to continue the scan, {@code false} to stop it
     */
    boolean visit(byte[] key, byte[] value);
}
