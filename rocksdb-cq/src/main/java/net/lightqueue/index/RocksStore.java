package net.lightqueue.index;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The open RocksDB database, its column families and the native objects they need. Translates
 * RocksDB failures into {@link IndexException}s that say what is wrong.
 */
final class RocksStore implements AutoCloseable {
    static final String META = "default";
    static final String QUEUES = "queues";
    static final String QUEUE_NAMES = "queue_names";
    static final String ENTRIES = "entries";
    /** Derived-state families are stored as "state.&lt;name&gt;" so they never clash with ours. */
    private static final String STATE_PREFIX = "state.";
    private static final List<String> INTERNAL = List.of(META, QUEUES, QUEUE_NAMES, ENTRIES);

    private final Path dir;
    private final NativeResources resources;
    private final RocksDB db;
    private final Cache cache;
    private final Map<String, ColumnFamilyHandle> handles;
    /** Family ids for {@link WriteBatchEncoder}, read once: {@code getID()} is a JNI call. */
    private final Map<String, Integer> ids = new HashMap<>();
    private final WriteOptions writeOptions;
    private final ReadOptions queueReads;
    private final ReadOptions scans;
    private final FlushOptions flushOptions;

    private RocksStore(Path dir, NativeResources resources, RocksDB db, Cache cache,
                       Map<String, ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.resources = resources;
        this.db = db;
        this.cache = cache;
        this.handles = handles;
        handles.forEach((name, handle) -> ids.put(name, handle.getID()));
        // The commitlog is the log: the index is rebuilt from it after the checkpoint.
        this.writeOptions = resources.track(new WriteOptions().setDisableWAL(true));
        // Range reads stay inside one queue, which lets seeks use the prefix blooms.
        this.queueReads = resources.track(new ReadOptions().setPrefixSameAsStart(true));
        // Whole-family scans (retention, derived state) must not evict the readers' hot blocks.
        this.scans = resources.track(new ReadOptions().setTotalOrderSeek(true).setFillCache(false));
        this.flushOptions = resources.track(new FlushOptions().setWaitForFlush(true));
    }

    /**
     * Opens (creating if needed) the database in {@code dir}.
     *
     * @param existing whether the directory already holds data, see {@link StoreDirectory}
     */
    static RocksStore open(Path dir, IndexOptions options, boolean existing) {
        RocksDB.loadLibrary();
        NativeResources resources = new NativeResources();
        try {
            Set<String> present = existing ? listFamilies(dir) : Set.of();
            if (existing && !present.containsAll(INTERNAL)) {
                throw new IndexException(dir + " holds a RocksDB database that is not a light-queue index "
                        + "(column families " + present + ", expected " + INTERNAL + ")");
            }
            Cache cache = resources.track(new LRUCache(options.blockCacheBytes()));
            Map<String, ColumnFamilyOptions> wanted = familyOptions(options, cache, resources, present);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            wanted.forEach((name, cfOptions) -> descriptors.add(
                    new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions)));
            DBOptions dbOptions = resources.track(RocksTuning.dbOptions());
            List<ColumnFamilyHandle> opened = new ArrayList<>();
            RocksDB db = resources.track(RocksDB.open(dbOptions, dir.toString(), descriptors, opened));
            Map<String, ColumnFamilyHandle> handles = new HashMap<>();
            for (int i = 0; i < opened.size(); i++) {
                handles.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8),
                        resources.track(opened.get(i)));
            }
            return new RocksStore(dir, resources, db, cache, handles);
        } catch (RocksDBException e) {
            resources.close();
            throw failure("cannot open index in " + dir, e);
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    private static Set<String> listFamilies(Path dir) throws RocksDBException {
        try (Options options = new Options()) {
            Set<String> names = new TreeSet<>();
            for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
                names.add(new String(name, StandardCharsets.UTF_8));
            }
            return names;
        }
    }

    /** Ours, the caller's, and any derived family created by an earlier open (RocksDB requires all). */
    private static Map<String, ColumnFamilyOptions> familyOptions(IndexOptions options, Cache cache,
                                                                  NativeResources resources, Set<String> present) {
        Map<String, ColumnFamilyOptions> wanted = new LinkedHashMap<>();
        wanted.put(META, resources.track(RocksTuning.general(options, cache, resources)));
        wanted.put(QUEUES, resources.track(RocksTuning.pointLookups(options, cache, resources)));
        wanted.put(QUEUE_NAMES, resources.track(RocksTuning.pointLookups(options, cache, resources)));
        wanted.put(ENTRIES, resources.track(RocksTuning.entries(options, cache, resources)));
        Set<String> derived = new TreeSet<>(present);
        derived.removeAll(INTERNAL);
        options.derivedFamilies().forEach(name -> derived.add(STATE_PREFIX + name));
        for (String name : derived) {
            wanted.put(name, resources.track(RocksTuning.general(options, cache, resources)));
        }
        return wanted;
    }

    ColumnFamilyHandle handle(String internalName) {
        return handles.get(internalName);
    }

    int id(String internalName) {
        return ids.get(internalName);
    }

    /** The handle of a caller's derived-state family. */
    ColumnFamilyHandle family(String name) {
        ColumnFamilyHandle handle = handles.get(STATE_PREFIX + name);
        if (handle == null) {
            throw unknownFamily(name);
        }
        return handle;
    }

    /** The id of a caller's derived-state family, for {@link WriteBatchEncoder}. */
    int familyId(String name) {
        Integer id = ids.get(STATE_PREFIX + name);
        if (id == null) {
            throw unknownFamily(name);
        }
        return id;
    }

    private static IndexException unknownFamily(String name) {
        return new IndexException("unknown family '" + name + "'; list it in IndexOptions.derivedFamilies");
    }

    byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw failure("read failed in " + dir, e);
        }
    }

    RocksIterator queueIterator(ColumnFamilyHandle family) {
        return db.newIterator(family, queueReads);
    }

    RocksIterator scanIterator(ColumnFamilyHandle family) {
        return db.newIterator(family, scans);
    }

    void write(WriteBatchEncoder batch) {
        try (WriteBatch serialized = new WriteBatch(batch.toByteArray())) {
            db.write(writeOptions, serialized);
        } catch (RocksDBException e) {
            throw failure("write failed in " + dir, e);
        }
    }

    /** Deletes every key of every family (two range tombstones each), and compacts them away. */
    void deleteAll() {
        try {
            for (ColumnFamilyHandle handle : handles.values()) {
                byte[] first;
                byte[] last;
                try (RocksIterator keys = db.newIterator(handle, scans)) {
                    keys.seekToFirst();
                    if (!keys.isValid()) {
                        continue;
                    }
                    first = keys.key();
                    keys.seekToLast();
                    last = keys.key();
                }
                db.deleteRange(handle, writeOptions, first, last); // [first, last)
                db.delete(handle, writeOptions, last);
            }
            flush();
            compact();
        } catch (RocksDBException e) {
            throw failure("clearing failed in " + dir, e);
        }
    }

    /** Flushes every family's memtables as one atomic flush and waits for it. */
    void flush() {
        try {
            db.flush(flushOptions, new ArrayList<>(handles.values()));
        } catch (RocksDBException e) {
            throw failure("flush failed in " + dir, e);
        }
    }

    void compact() {
        try {
            for (ColumnFamilyHandle handle : handles.values()) {
                db.compactRange(handle);
            }
        } catch (RocksDBException e) {
            throw failure("compaction failed in " + dir, e);
        }
    }

    /** Sum of an integer property over all families, e.g. "rocksdb.total-sst-files-size". */
    long property(String name) {
        try {
            long total = 0;
            for (ColumnFamilyHandle handle : handles.values()) {
                total += db.getLongProperty(handle, name);
            }
            return total;
        } catch (RocksDBException e) {
            throw failure("cannot read property " + name, e);
        }
    }

    long familyProperty(String internalName, String property) {
        try {
            return db.getLongProperty(handles.get(internalName), property);
        } catch (RocksDBException e) {
            throw failure("cannot read property " + property, e);
        }
    }

    long blockCacheUsage() {
        return cache.getUsage();
    }

    @Override
    public void close() {
        resources.close();
    }

    static IndexException failure(String context, RocksDBException e) {
        Status status = e.getStatus();
        Status.Code code = status == null ? null : status.getCode();
        String message = e.getMessage() == null ? String.valueOf(code) : e.getMessage();
        if (code == Status.Code.IOError && message.toLowerCase().contains("lock")) {
            return new IndexException(context + ": the directory is locked by another process"
                    + " (or already open in this one): " + message, e);
        }
        if (code == Status.Code.Corruption) {
            return new IndexException(context + ": the index is corrupt: " + message, e);
        }
        return new IndexException(context + ": " + message, e);
    }
}
