package net.lightqueue.bench;

import java.util.List;

/**
 * Samples the broker process named by --broker-pid: resident memory, heap after GC when it is a
 * JVM, and CPU used over an interval. Without a pid it samples nothing and reports nothing.
 */
final class BrokerSampler {
    private final ProcessStats process;
    private final JvmHeapProbe heap;

    private BrokerSampler(ProcessStats process, JvmHeapProbe heap) {
        this.process = process;
        this.heap = heap;
    }

    static BrokerSampler of(long pid) {
        if (pid == 0) {
            return new BrokerSampler(null, null);
        }
        ProcessStats process = new ProcessStats(pid);
        if (!process.alive()) {
            throw new SetupException("no process with pid " + pid + " to sample");
        }
        return new BrokerSampler(process, JvmHeapProbe.looksLikeJvm(process) ? new JvmHeapProbe(pid) : null);
    }

    /** Records the broker's memory at a named point of the run into the result ("idle", "load", ...). */
    void sampleMemory(String point, Result result) {
        if (process == null) {
            return;
        }
        result.put("broker_" + point + "_rss_kb", process.rssKb());
        if (heap != null) {
            result.put("broker_" + point + "_heap_kb", heap.heapAfterGcKb());
        }
    }

    /** Memory growth between two sampled points divided over the items that caused it (connections, sessions, ...). */
    void reportPerItem(Result result, String from, String to, long items, String item) {
        if (process == null || items == 0) {
            return;
        }
        for (String kind : heap == null ? List.of("rss") : List.of("rss", "heap")) {
            long deltaKb = result.getLong("broker_" + to + "_" + kind + "_kb")
                - result.getLong("broker_" + from + "_" + kind + "_kb");
            result.put("broker_" + kind + "_per_" + item + "_bytes", deltaKb * 1024 / items);
        }
    }

    CpuMeter cpuMeter() {
        return process == null ? null : new CpuMeter(process);
    }
}
