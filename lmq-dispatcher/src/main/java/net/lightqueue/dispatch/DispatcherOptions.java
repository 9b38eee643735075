package net.lightqueue.dispatch;

import net.lightqueue.host.config.Setting;
import net.lightqueue.host.config.SettingsPrefix;
import net.lightqueue.index.IndexOptions;

/**
 * Tuning of the light-queue index and its dispatcher. A plain object: construct it with the
 * defaults and set fields, or bind it from broker.conf with
 * {@code SettingsBinder.bind(DispatcherOptions.class, properties)} (keys are the field names).
 * The defaults suit a broker node; none changes what is dispatched, only how fast and with how
 * much memory.
 */
@SettingsPrefix("mqttIndex")
public class DispatcherOptions {

    @Setting(description = "RocksDB block cache of the light-queue index, in MiB", min = 8, max = 1 << 20)
    public int mqttIndexBlockCacheMb = 256;

    @Setting(description = "size of one memtable of the light-queue index, in MiB", min = 1, max = 4096)
    public int mqttIndexWriteBufferMb = 64;

    @Setting(description = "flush the index after this many MiB written since the last flush", min = 1, max = 4096)
    public int mqttIndexFlushSizeMb = 64;

    @Setting(description = "flush the index at the latest this many ms after its oldest unflushed write", min = 10,
        max = 600_000)
    public long mqttIndexFlushIntervalMs = 1_000;

    @Setting(description = "queues whose append state the index keeps in heap", min = 1024, max = 1 << 26)
    public int mqttIndexQueueCacheSize = 1 << 18;

    @Setting(description = "commit a dispatch batch after this many messages even if the broker is not caught up",
        min = 1, max = 1 << 20)
    public int mqttIndexBatchMaxMessages = 1024;

    @Setting(description = "decoded messages kept for readers of the same position (slots, rounded to a power of two)",
        min = 16, max = 1 << 24)
    // Subscribers of one queue drift apart by seconds under load; once they are further apart
    // than the cache, every read decodes again and the slow ones fall further behind.
    public int mqttIndexReadCacheSize = 65536;

    @Setting(description = "heap the decoded messages of the read cache may take, in MiB (large payloads fill it first)",
        min = 1, max = 1 << 20)
    // Counted in bytes as well as in slots: 65,536 slots of 1 MiB payloads would be 64 GiB.
    public int mqttIndexReadCacheMb = 128;

    @Setting(description = "remove index entries of deleted commitlog files every this many seconds", min = 1,
        max = 86_400)
    public int mqttIndexRetentionIntervalSec = 60;

    IndexOptions indexOptions(String... derivedFamilies) {
        return IndexOptions.builder()
            .blockCacheBytes((long) mqttIndexBlockCacheMb << 20)
            .writeBufferBytes((long) mqttIndexWriteBufferMb << 20)
            .flushSizeBytes((long) mqttIndexFlushSizeMb << 20)
            .flushIntervalMillis(mqttIndexFlushIntervalMs)
            .queueCacheSize(mqttIndexQueueCacheSize)
            .derivedFamilies(derivedFamilies)
            .build();
    }
}
