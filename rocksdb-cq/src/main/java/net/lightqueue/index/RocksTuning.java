package net.lightqueue.index;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;

/**
 * The RocksDB option choices for this workload: append-mostly keys sharing a queue prefix,
 * point lookups of queue metadata, short range scans. Every object created here is handed to
 * {@link NativeResources} by the caller so it is closed with the store.
 */
final class RocksTuning {
    private static final int BLOOM_BITS_PER_KEY = 10;

    private RocksTuning() {
    }

    static DBOptions dbOptions() {
        return new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // Writes skip the WAL; atomic flush is what keeps the families mutually
                // consistent on disk: a crash leaves a prefix of whole batches.
                .setAtomicFlush(true)
                // The broker owns the CPU: one flush and one compaction at a time are enough.
                .setMaxBackgroundJobs(2)
                // Smooth write-back instead of large fsync bursts at the end of each SST.
                .setBytesPerSync(1L << 20)
                // RocksDB's own LOG must not grow without bound inside the broker's store.
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(4)
                .setMaxLogFileSize(16L << 20);
    }

    /**
     * Queue entries: 16-byte keys, queue id first. Reads seek inside one queue, so the first 8
     * bytes are the prefix for bloom filters (in SSTs and memtables); whole-key filters would
     * only cost space since nobody does point lookups here.
     */
    static ColumnFamilyOptions entries(IndexOptions options, Cache cache, NativeResources resources) {
        BlockBasedTableConfig table = table(cache, resources)
                .setWholeKeyFiltering(false)
                // Small blocks: a 32-entry read touches one 4 KiB block, not 16 KiB.
                .setBlockSize(4 << 10);
        return base(options, table)
                .useFixedLengthPrefixExtractor(EntryCodec.QUEUE_PREFIX_LENGTH)
                .setMemtablePrefixBloomSizeRatio(0.05)
                // Reads almost always find their queue, so the last level needs no filter;
                // saves about 90% of filter space.
                .setOptimizeFiltersForHits(true);
    }

    /** Queue records and id-to-name lookups: point lookups by whole key, bloom-filtered. */
    static ColumnFamilyOptions pointLookups(IndexOptions options, Cache cache, NativeResources resources) {
        return base(options, table(cache, resources))
                .setMemtableWholeKeyFiltering(true)
                .setMemtablePrefixBloomSizeRatio(0.05);
    }

    /** Checkpoint, counters and derived state of the caller: general purpose. */
    static ColumnFamilyOptions general(IndexOptions options, Cache cache, NativeResources resources) {
        return base(options, table(cache, resources));
    }

    private static BlockBasedTableConfig table(Cache cache, NativeResources resources) {
        return new BlockBasedTableConfig()
                .setBlockCache(cache)
                // Index and filter blocks live in the block cache, so memory stays bounded by
                // the cache size however much data (and how many queues) there is.
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setFilterPolicy(resources.track(new BloomFilter(BLOOM_BITS_PER_KEY)));
    }

    private static ColumnFamilyOptions base(IndexOptions options, BlockBasedTableConfig table) {
        return new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setWriteBufferSize(options.writeBufferBytes())
                // One memtable being flushed, one being filled, slack for a slow disk.
                .setMaxWriteBufferNumber(4)
                // LZ4 is cheap enough for upper levels; ZSTD on the last level (where ~90% of
                // the data sits) buys the on-disk size.
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
    }
}
