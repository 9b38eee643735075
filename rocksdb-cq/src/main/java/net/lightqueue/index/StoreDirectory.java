package net.lightqueue.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides, before RocksDB touches a directory, whether it is new (no data yet) or holds an
 * existing database, and refuses anything else rather than writing into someone else's files.
 */
final class StoreDirectory {
    /** Files RocksDB creates before it has any data: a crash during the first open leaves only these. */
    private static final Pattern ROCKSDB_BOOKKEEPING =
            Pattern.compile("LOCK|IDENTITY|CURRENT|LOG(\\.old\\.\\d+)?|MANIFEST-\\d+|OPTIONS-\\d+(\\.dbtmp)?|\\d+\\.(log|dbtmp)");

    private StoreDirectory() {
    }

    /** @return {@code true} if the directory holds data (SST files or non-empty logs) */
    static boolean prepare(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
                return false;
            }
            if (!Files.isDirectory(dir)) {
                throw new IndexException(dir + " is not a directory");
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir)) {
                files = listing.toList();
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".sst") && !ROCKSDB_BOOKKEEPING.matcher(name).matches()) {
                    throw new IndexException(dir + " is not a light-queue index directory: it holds '"
                            + name + "'; give the index an empty or new directory");
                }
            }
            for (Path file : files) {
                if (file.getFileName().toString().endsWith(".sst")
                        || file.getFileName().toString().endsWith(".log") && Files.size(file) > 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IndexException("cannot inspect index directory " + dir, e);
        }
    }
}
