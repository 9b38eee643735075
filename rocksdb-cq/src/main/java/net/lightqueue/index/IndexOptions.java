package net.lightqueue.index;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sizing and layout of a {@link LightQueueIndex}. Build with {@link #builder()}.
 *
 * <p>Memory is bounded by configuration, never by the number of queues: native memory is about
 * {@code blockCacheBytes} plus a few {@code writeBufferBytes} per column family; Java heap is about
 * {@code 40 * queueCacheSize} bytes for the writer's queue cache.
 *
 * @param blockCacheBytes     capacity of the block cache shared by all column families; index and
 *                            filter blocks are charged to it too
 * @param writeBufferBytes    size of one memtable (per column family); a full memtable is flushed
 * @param flushSizeBytes      size bound: a flush starts once this many bytes were written since
 *                            the last one
 * @param flushIntervalMillis time bound: a flush starts once the oldest unflushed write is this
 *                            old, so the durable checkpoint never lags far behind
 * @param queueCacheSize      queues whose state the writer keeps in heap (rounded up to a power
 *                            of two); appends to other queues cost a RocksDB lookup
 * @param derivedFamilies     names of the caller's derived-state families, created if missing
 *                            (letters, digits, '_' and '-', at most 64 characters)
 */
public record IndexOptions(long blockCacheBytes, long writeBufferBytes, long flushSizeBytes,
                           long flushIntervalMillis, int queueCacheSize, Set<String> derivedFamilies) {

    private static final Pattern FAMILY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public IndexOptions {
        requirePositive("blockCacheBytes", blockCacheBytes);
        requirePositive("writeBufferBytes", writeBufferBytes);
        requirePositive("flushSizeBytes", flushSizeBytes);
        requirePositive("flushIntervalMillis", flushIntervalMillis);
        requirePositive("queueCacheSize", queueCacheSize);
        for (String family : derivedFamilies) {
            if (!FAMILY_NAME.matcher(family).matches()) {
                throw new IllegalArgumentException("invalid family name '" + family
                        + "': use 1 to 64 letters, digits, '_' or '-'");
            }
        }
        derivedFamilies = Set.copyOf(derivedFamilies);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Defaults suit a broker node: 256 MiB cache, 64 MiB memtables, a flush at least every second. */
    public static final class Builder {
        private long blockCacheBytes = 256L << 20;
        private long writeBufferBytes = 64L << 20;
        private long flushSizeBytes = 64L << 20;
        private long flushIntervalMillis = 1_000;
        private int queueCacheSize = 1 << 18;
        private final Set<String> derivedFamilies = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder blockCacheBytes(long bytes) {
            this.blockCacheBytes = bytes;
            return this;
        }

        public Builder writeBufferBytes(long bytes) {
            this.writeBufferBytes = bytes;
            return this;
        }

        public Builder flushSizeBytes(long bytes) {
            this.flushSizeBytes = bytes;
            return this;
        }

        public Builder flushIntervalMillis(long millis) {
            this.flushIntervalMillis = millis;
            return this;
        }

        public Builder queueCacheSize(int queues) {
            this.queueCacheSize = queues;
            return this;
        }

        public Builder derivedFamilies(String... names) {
            this.derivedFamilies.addAll(Set.of(names));
            return this;
        }

        public IndexOptions build() {
            return new IndexOptions(blockCacheBytes, writeBufferBytes, flushSizeBytes,
                    flushIntervalMillis, queueCacheSize, derivedFamilies);
        }
    }
}
