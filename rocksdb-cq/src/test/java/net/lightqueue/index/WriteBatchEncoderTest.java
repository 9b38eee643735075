package net.lightqueue.index;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The Java-built write batches against RocksDB's own encoder and parser. */
class WriteBatchEncoderTest {
    @TempDir
    Path dir;
    DBOptions options;
    RocksDB db;
    List<ColumnFamilyHandle> handles = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        RocksDB.loadLibrary();
        options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        for (String name : List.of("default", "a", "b")) {
            families.add(new ColumnFamilyDescriptor(name.getBytes(UTF_8)));
        }
        db = RocksDB.open(options, dir.toString(), families, handles);
    }

    @AfterEach
    void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
    }

    @Test
    void encodesLikeRocksDb() throws Exception {
        ColumnFamilyHandle meta = handles.get(0);
        ColumnFamilyHandle other = handles.get(2);
        WriteBatchEncoder encoder = new WriteBatchEncoder(1);
        byte[] large = "v".repeat(300).getBytes(UTF_8);
        try (WriteBatch expected = new WriteBatch()) {
            expected.put(meta, bytes("k"), bytes("v"));
            encoder.put(meta.getID(), bytes("k"), bytes("v"));
            expected.put(other, bytes("key"), large);
            encoder.put(other.getID(), bytes("key"), large);
            expected.delete(meta, bytes("gone"));
            encoder.delete(meta.getID(), bytes("gone"));
            expected.delete(other, new byte[0]);
            encoder.delete(other.getID(), new byte[0]);

            assertArrayEquals(expected.data(), encoder.toByteArray());
            assertEquals(4, encoder.count());
            assertEquals(expected.getDataSize(), encoder.size());
        }
    }

    @Test
    void entriesWrittenFromTheEncoderReadBackAtTheEdges() throws Exception {
        ColumnFamilyHandle entries = handles.get(1);
        long[][] cases = {{0, 0, 0}, {Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE},
            {1L << 40, 1024, 1_700_000_000_000L}, {5, 7, -1}};
        WriteBatchEncoder encoder = new WriteBatchEncoder(0);
        for (int i = 0; i < cases.length; i++) {
            EntryCodec.put(encoder, entries.getID(), 3, i, cases[i][0], (int) cases[i][1], cases[i][2]);
        }
        try (WriteBatch batch = new WriteBatch(encoder.toByteArray());
             WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
            assertEquals(cases.length, batch.count());
            db.write(noWal, batch);
        }
        for (int i = 0; i < cases.length; i++) {
            long[] c = cases[i];
            byte[] key = EntryCodec.key(3, i);
            byte[] value = db.get(entries, key);
            assertEquals(new IndexEntry(i, c[0], (int) c[1], c[2]), EntryCodec.entry(key, value));
            assertEquals(c[0], EntryCodec.commitLogOffset(value));
        }
        assertTrue(db.get(entries, EntryCodec.key(3, 2)).length <= 14);
        assertNull(db.get(entries, EntryCodec.key(3, cases.length)));
    }

    @Test
    void varintLengthMatchesTheEncoding() {
        for (long value : new long[] {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1}) {
            WriteBatchEncoder encoder = new WriteBatchEncoder(0);
            encoder.varint(value);
            assertEquals(encoder.size() - 12, Bytes.varintLength(value), "varint of " + value);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
