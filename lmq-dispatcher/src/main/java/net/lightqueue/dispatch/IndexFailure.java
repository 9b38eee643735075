package net.lightqueue.dispatch;

/**
 * Why the light-queue index cannot be written at the moment; while it cannot, nothing new is
 * indexed or delivered, and the dispatcher retries until it can.
 *
 * @param cause    what failed, for logs
 * @param diskFull whether the index's file system has no space left
 */
public record IndexFailure(String cause, boolean diskFull) {
}
