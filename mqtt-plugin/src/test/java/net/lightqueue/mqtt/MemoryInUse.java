package net.lightqueue.mqtt;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;

/**
 * What the broker process holds: Java heap after a full GC, plus the memory live buffers of
 * Netty's default allocator pin (channel output is kept there, outside the heap).
 *
 * <p>Pinned bytes, not the allocator's chunks: the pool keeps a chunk once it has carved one
 * for a size it had not seen, so its chunk total jumps by 4 MiB per arena the first time large
 * messages pass through, whether or not anything still holds them. The chunk total is shown for
 * context only.
 *
 * @param heapAfterGc heap in use after GC, in bytes
 * @param buffers     bytes of heap and direct memory pinned by buffers not yet released
 * @param pooled      bytes of heap and direct memory the allocator's chunks take
 */
record MemoryInUse(long heapAfterGc, long buffers, long pooled) {

    private static final long MIB = 1 << 20;

    static MemoryInUse now() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pool) {
            return new MemoryInUse(heap, pool.pinnedHeapMemory() + pool.pinnedDirectMemory(),
                pool.metric().usedHeapMemory() + pool.metric().usedDirectMemory());
        }
        return new MemoryInUse(heap, 0, 0);
    }

    /** Heap and buffers together, grown since {@code before}. */
    long grownSince(MemoryInUse before) {
        return heapAfterGc - before.heapAfterGc + buffers - before.buffers;
    }

    @Override
    public String toString() {
        return "heap after GC " + heapAfterGc / MIB + " MiB, buffers " + buffers / MIB + " MiB (pool chunks "
            + pooled / MIB + " MiB)";
    }
}
