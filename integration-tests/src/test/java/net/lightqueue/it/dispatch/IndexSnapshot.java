package net.lightqueue.it.dispatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.engine.CommitLogApplier;
import net.lightqueue.index.IndexEntry;
import net.lightqueue.index.IndexOptions;
import net.lightqueue.index.LightQueueIndex;
import net.lightqueue.mqtt.persistence.StateFamilies;

/** What a stopped broker's light-queue index holds, read offline. */
public final class IndexSnapshot {

    private IndexSnapshot() {
    }

    private static LightQueueIndex open(Path storeRoot) {
        return LightQueueIndex.open(storeRoot.resolve("mqtt/index"), IndexOptions.builder()
            .blockCacheBytes(16 << 20).derivedFamilies(CommitLogApplier.indexFamilies(StateFamilies.ALL)).build());
    }

    /** The commitlog offsets in each named light queue. */
    static Map<String, List<Long>> read(Path storeRoot, List<String> queues) {
        Map<String, List<Long>> snapshot = new LinkedHashMap<>();
        try (LightQueueIndex index = open(storeRoot)) {
            for (String queue : queues) {
                long from = index.minOffset(queue);
                List<IndexEntry> entries = index.read(queue, from, (int) (index.maxOffset(queue) - from) + 1);
                snapshot.put(queue, entries.stream().map(IndexEntry::commitLogOffset).toList());
            }
        }
        return snapshot;
    }

    /** Every record of every derived-state family (filters, subscriptions, sessions, ...), as text. */
    public static Map<String, List<String>> derivedState(Path storeRoot) {
        Map<String, List<String>> state = new LinkedHashMap<>();
        try (LightQueueIndex index = open(storeRoot)) {
            for (String family : CommitLogApplier.indexFamilies(StateFamilies.ALL)) {
                List<String> records = new ArrayList<>();
                index.scan(family, new byte[0], (key, value) -> records.add(HexFormat.of().formatHex(key)
                    + "=" + HexFormat.of().formatHex(value)));
                state.put(family, records);
            }
        }
        return state;
    }
}
