package net.lightqueue.mqtt;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;

/**
 * What the broker process holds: Java heap after a full GC, plus what Netty's default allocator
 * took for buffers (channel output is kept there, outside the heap).
 *
 * @param heapAfterGc heap in use after GC, in bytes
 * @param buffers     bytes of heap and direct memory Netty's allocator holds
 */
record MemoryInUse(long heapAfterGc, long buffers) {

    private static final long MIB = 1 << 20;

    static MemoryInUse now() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long buffers = 0;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            buffers = metric.usedHeapMemory() + metric.usedDirectMemory();
        }
        return new MemoryInUse(heap, buffers);
    }

    /** Heap and buffers together, grown since {@code before}. */
    long grownSince(MemoryInUse before) {
        return heapAfterGc - before.heapAfterGc + buffers - before.buffers;
    }

    @Override
    public String toString() {
        return "heap after GC " + heapAfterGc / MIB + " MiB, buffers " + buffers / MIB + " MiB";
    }
}
