package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GC.heap_info output differs per collector; the probe must read the heap, not the metaspace. */
class JvmHeapProbeTest {

    @Test
    void readsG1() {
        String g1 = """
                4242:
                 garbage-first heap   total 262144K, used 23456K [0x0000000700000000, 0x0000000800000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 31000K, committed 31488K, reserved 1114112K
                  class space    used 3500K, committed 3712K, reserved 1048576K
                """;
        assertEquals(23456, JvmHeapProbe.usedKb(g1));
    }

    @Test
    void addsUpParallelGenerations() {
        String parallel = """
                 PSYoungGen      total 76288K, used 2621K [0x000000076ab00000, 0x0000000770000000, 0x00000007c0000000)
                  eden space 65536K, 4% used [0x000000076ab00000,0x000000076ad8f6b8,0x000000076eb00000)
                 ParOldGen       total 175104K, used 1000K [0x00000006c0000000, 0x00000006cab00000, 0x000000076ab00000)
                  object space 175104K, 0% used [0x00000006c0000000,0x00000006c0000000,0x00000006cab00000)
                 Metaspace       used 3000K, committed 3200K, reserved 1056768K
                """;
        assertEquals(3621, JvmHeapProbe.usedKb(parallel));
    }

    @Test
    void readsZgcInMegabytes() {
        assertEquals(8 * 1024, JvmHeapProbe.usedKb(" ZHeap           used 8M, capacity 32M, max capacity 4096M\n"));
    }

    @Test
    void readsThisJvm() {
        long kb = new JvmHeapProbe(ProcessHandle.current().pid()).heapAfterGcKb();
        assertTrue(kb > 0, "heap after GC: " + kb);
    }
}
