package net.lightqueue.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap in use right after a full GC of a JVM process: the live set, which is what a per-connection
 * or per-session memory budget is about. Uses the runner JDK's jcmd, so the broker must run
 * as the same user on this machine.
 */
final class JvmHeapProbe {
    /** "used 23456K" in GC.heap_info; Parallel/Serial print one per generation, ZGC uses M. */
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final long JCMD_TIMEOUT_SECONDS = 60;

    private final long pid;
    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    JvmHeapProbe(long pid) {
        this.pid = pid;
    }

    static boolean looksLikeJvm(ProcessStats process) {
        String command = process.commandLine();
        String executable = command.split(" ", 2)[0];
        return executable.endsWith("/java") || executable.equals("java");
    }

    long heapAfterGcKb() {
        jcmd("GC.run");
        return usedKb(jcmd("GC.heap_info"));
    }

    static long usedKb(String heapInfo) {
        long kb = 0;
        for (String line : heapInfo.split("\n")) {
            if (line.trim().startsWith("Metaspace") || line.trim().startsWith("class space")) {
                break;
            }
            Matcher m = USED.matcher(line);
            if (m.find()) {
                long value = Long.parseLong(m.group(1));
                kb += switch (m.group(2)) {
                    case "G" -> value << 20;
                    case "M" -> value << 10;
                    default -> value;
                };
            }
        }
        return kb;
    }

    private String jcmd(String command) {
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new SetupException("jcmd " + pid + " " + command + " failed: " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new SetupException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("interrupted while running jcmd", e);
        }
    }
}
