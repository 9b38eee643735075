package net.lightqueue.bench;

/** CPU used by the broker and by the runner itself over one phase; the runner's shows whether it was the bottleneck. */
final class ResourceWindow {
    private final CpuMeter broker;
    private final CpuMeter runner;

    private ResourceWindow(CpuMeter broker, CpuMeter runner) {
        this.broker = broker;
        this.runner = runner;
    }

    static ResourceWindow start(BrokerSampler brokerSampler) {
        return new ResourceWindow(brokerSampler.cpuMeter(), new CpuMeter(new ProcessStats(ProcessHandle.current().pid())));
    }

    void finish(Result result, String phase) {
        if (broker != null) {
            result.put("broker_cpu_" + phase + "_pct", broker.percentOfOneCore());
        }
        result.put("runner_cpu_" + phase + "_pct", runner.percentOfOneCore());
    }
}
