package net.lightqueue.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class OpenFailureTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithOtherFilesIsRefused() throws IOException {
        Files.writeString(dir.resolve("commitlog.idx"), "not ours");
        IndexException e = assertThrows(IndexException.class, () -> open(dir));
        assertTrue(e.getMessage().contains("commitlog.idx"), e.getMessage());
    }

    @Test
    void aFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThrows(IndexException.class, () -> open(file));
    }

    @Test
    void aForeignRocksDbIsRefusedAndLeftAlone() throws Exception {
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, dir.toString())) {
            db.put("someone".getBytes(), "else".getBytes());
        }
        IndexException e = assertThrows(IndexException.class, () -> open(dir));
        assertTrue(e.getMessage().contains("not a light-queue index"), e.getMessage());
        try (Options options = new Options()) {
            assertEquals(1, RocksDB.listColumnFamilies(options, dir.toString()).size());
        }
    }

    @Test
    void aDirectoryHeldByAnotherOpenIsRefused() {
        try (LightQueueIndex first = open(dir)) {
            IndexException e = assertThrows(IndexException.class, () -> open(dir));
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
            assertEquals(0, first.maxOffset("q"));
        }
        open(dir).close();
    }

    @Test
    void aTruncatedSstIsReportedAsCorrupt() throws IOException {
        try (LightQueueIndex index = open(dir)) {
            IndexBatch batch = index.newBatch();
            for (int i = 0; i < 1000; i++) {
                batch.append("q" + i, i, 1, 1);
            }
            index.write(batch);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path sst : files.filter(p -> p.toString().endsWith(".sst")).toList()) {
                try (RandomAccessFile file = new RandomAccessFile(sst.toFile(), "rw")) {
                    file.setLength(file.length() / 2);
                }
            }
        }
        IndexException e = assertThrows(IndexException.class, () -> open(dir));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    private static LightQueueIndex open(Path dir) {
        return LightQueueIndex.open(dir, LightQueueIndexTest.OPTIONS);
    }
}
