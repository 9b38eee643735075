package net.lightqueue.bench;

/** CPU a process used since the meter was made, as percent of one core. */
final class CpuMeter {
    private final ProcessStats process;
    private final long startCpu;
    private final long startWall;

    CpuMeter(ProcessStats process) {
        this.process = process;
        this.startCpu = process.cpuNanos();
        this.startWall = System.nanoTime();
    }

    double percentOfOneCore() {
        long wall = System.nanoTime() - startWall;
        return wall <= 0 ? 0 : 100.0 * (process.cpuNanos() - startCpu) / wall;
    }
}
