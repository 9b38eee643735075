package net.lightqueue.bench;

/**
 * Log-linear histogram of non-negative values with at most 1/128 relative error per bucket.
 * Fixed size (about 58 KB) and allocation-free on record, so one per event-loop thread is cheap.
 * Not thread-safe: each recording thread owns one; {@link #add} merges them at the end.
 */
final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values below this are counted exactly, one bucket each. */
    private static final int EXACT_LIMIT = 2 * SUB_BUCKETS;
    private static final int BUCKETS = EXACT_LIMIT + (Long.SIZE - 1 - SUB_BUCKET_BITS - 1) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long total() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value at quantile q (0..1], reported as its bucket's upper bound so it never flatters. */
    long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    static int index(long v) {
        if (v < EXACT_LIMIT) {
            return (int) v;
        }
        int shift = Long.SIZE - Long.numberOfLeadingZeros(v) - (SUB_BUCKET_BITS + 1);
        return EXACT_LIMIT + (shift - 1) * SUB_BUCKETS + (int) ((v >>> shift) - SUB_BUCKETS);
    }

    static long upperBound(int index) {
        if (index < EXACT_LIMIT) {
            return index;
        }
        int shift = (index - EXACT_LIMIT) / SUB_BUCKETS + 1;
        long subBucket = (index - EXACT_LIMIT) % SUB_BUCKETS + SUB_BUCKETS;
        return ((subBucket + 1) << shift) - 1;
    }
}
