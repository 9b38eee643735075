package net.lightqueue.index;

/**
 * A point-in-time view of the index, for metrics.
 *
 * @param queues            queues ever appended to (queues are never deleted)
 * @param entries           entries currently held, over all queues
 * @param diskBytes         live SST bytes over all column families
 * @param memtableBytes     memory held by memtables (active, immutable and pinned)
 * @param blockCacheBytes   memory held by the block cache
 * @param checkpoint        checkpoint of the last written batch that carried one
 * @param durableCheckpoint last checkpoint known to be flushed to SST files
 */
public record IndexStats(long queues, long entries, long diskBytes, long memtableBytes,
                         long blockCacheBytes, long checkpoint, long durableCheckpoint) {
}
