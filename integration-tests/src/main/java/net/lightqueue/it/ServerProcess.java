package net.lightqueue.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server JVM started from jars (a name server or a broker), with its console output in a
 * file. Waits for its readiness line, stops it gracefully (SIGTERM runs the broker's shutdown
 * hook) or kills it with SIGKILL, and shows the tail of its output when something fails.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path console;

    private ServerProcess(String name, Process process, Path console) {
        this.name = name;
        this.process = process;
        this.console = console;
    }

    static ServerProcess start(String name, List<String> command, Path workDir, Path console) throws IOException {
        Files.createDirectories(console.getParent());
        Process process = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
            .start();
        return new ServerProcess(name, process, console);
    }

    /** Waits until a console line matches, failing early (with the console tail) if the process dies. */
    public void awaitLine(Predicate<String> ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (consoleLines().stream().anyMatch(ready)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                    + " before it was ready; console:\n" + consoleTail(40));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; console:\n" + consoleTail(40));
    }

    /** Waits for the process to exit on its own and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + timeout + "; console:\n" + consoleTail(40));
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** SIGTERM, then waits: the broker's shutdown hook flushes and stops its plugins. */
    public int stop(Duration timeout) throws InterruptedException {
        terminate();
        return awaitStopped(timeout);
    }

    /** SIGTERM without waiting, so that several servers stop at once; then {@link #awaitStopped}. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for a terminated process to exit and returns its exit code; SIGKILL if it does not in time. */
    public int awaitStopped(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " did not stop within " + timeout + "; console:\n" + consoleTail(40));
        }
        return process.exitValue();
    }

    /** SIGKILL: nothing runs in the process after this. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGSTOP: the process freezes with its connections open, as a hung host or one cut off by
     * the network looks to its peers; {@link #thaw()} lets it go on.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public List<String> consoleLines() {
        try {
            return Files.exists(console) ? Files.readAllLines(console, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    public String consoleTail(int lines) {
        List<String> all = consoleLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
