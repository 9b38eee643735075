package net.lightqueue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of one process, read from /proc (Linux). */
final class ProcessStats {
    /** USER_HZ, the unit of /proc/<pid>/stat times: fixed at 100 by Linux on every mainstream architecture. */
    private static final long NANOS_PER_CLOCK_TICK = 10_000_000;
    private static final int UTIME_FIELD_AFTER_COMM = 11;

    private final long pid;

    ProcessStats(long pid) {
        this.pid = pid;
    }

    boolean alive() {
        return Files.exists(proc("stat"));
    }

    /** User plus system CPU time consumed so far. */
    long cpuNanos() {
        String stat = read("stat");
        // The command name may contain spaces and parentheses; the fields follow its last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[UTIME_FIELD_AFTER_COMM]) + Long.parseLong(fields[UTIME_FIELD_AFTER_COMM + 1]);
        return ticks * NANOS_PER_CLOCK_TICK;
    }

    long rssKb() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    String commandLine() {
        return read("cmdline").replace('\0', ' ').trim();
    }

    private String read(String file) {
        try {
            return Files.readString(proc(file));
        } catch (IOException e) {
            throw new SetupException("cannot read " + proc(file) + " (has process " + pid + " exited?)", e);
        }
    }

    private Path proc(String file) {
        return Path.of("/proc", Long.toString(pid), file);
    }
}
