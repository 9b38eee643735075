package net.lightqueue.dispatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The mark that the light-queue index no longer matches the commitlog (the broker cut the
 * commitlog below its checkpoint). The index cannot roll back in place; at the next start it is
 * dropped before it opens, and the dispatcher rebuilds it from the commitlog, as it does for an
 * index directory an operator deleted.
 */
final class StaleIndex {

    private static final Logger LOG = LoggerFactory.getLogger(StaleIndex.class);

    private final Path indexDir;
    private final Path mark;

    StaleIndex(Path dataDir) {
        this.indexDir = indexDir(dataDir);
        this.mark = dataDir.resolve("index-stale");
    }

    static Path indexDir(Path dataDir) {
        return dataDir.resolve("index");
    }

    Path indexDir() {
        return indexDir;
    }

    /** Marks the index for a rebuild at the next start; from the dispatch thread, so it never throws. */
    void mark() {
        try {
            Files.writeString(mark, "the commitlog was cut below this index's checkpoint\n");
        } catch (IOException e) {
            LOG.error("could not mark the light-queue index at {} for a rebuild; delete it before the next start", indexDir, e);
        }
    }

    /** Drops a marked index, so that it is rebuilt from the commitlog; before the index opens. */
    void dropIfMarked() {
        if (!Files.exists(mark)) {
            return;
        }
        try {
            if (Files.exists(indexDir)) {
                try (Stream<Path> paths = Files.walk(indexDir)) {
                    List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
                    for (Path path : deepestFirst) {
                        Files.delete(path);
                    }
                }
            }
            Files.delete(mark);
        } catch (IOException e) {
            throw new UncheckedIOException("could not drop the stale light-queue index at " + indexDir, e);
        }
        LOG.warn("dropped the light-queue index at {}: the commitlog had been cut below its checkpoint; it is rebuilt "
            + "from the commitlog (events in commitlog files already deleted by retention are not recovered)", indexDir);
    }
}
