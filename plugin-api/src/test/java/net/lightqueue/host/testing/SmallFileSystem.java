package net.lightqueue.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted at a directory, for tests of a full disk: {@link #fill} takes the space
 * that is left, {@link #free} gives it back. Mounting needs root (or CAP_SYS_ADMIN); where it is
 * not permitted the test is skipped, not failed.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path mountPoint;
    private final Path filler;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code size} (e.g. "16m") at the directory, creating it; skips the test if not permitted. */
    public static SmallFileSystem mount(Path mountPoint, String size) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        int exit = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(exit == 0, "mounting a tmpfs needs root (or CAP_SYS_ADMIN); full-disk test skipped");
        return new SmallFileSystem(mountPoint);
    }

    /** Writes a filler file until the file system has no space left. */
    public void fill() throws IOException {
        byte[] page = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(page);
                out.flush();
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
                throw e;
            }
        }
    }

    /** Deletes the filler: the space taken by {@link #fill} is free again. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    /** Unmounts (lazily, should a file still be open). */
    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start().waitFor();
    }
}
