package net.lightqueue.index;

/**
 * One entry of a light queue: where the message lives in the commitlog.
 *
 * @param queueOffset     position in its queue, dense from the queue's first entry
 * @param commitLogOffset physical offset of the message in the commitlog
 * @param size            size of the message in the commitlog, in bytes
 * @param storeTimestamp  store time of the message, in epoch milliseconds
 */
public record IndexEntry(long queueOffset, long commitLogOffset, int size, long storeTimestamp) {
}
