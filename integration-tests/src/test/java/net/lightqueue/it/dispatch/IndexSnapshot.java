package net.lightqueue.it.dispatch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.lightqueue.index.IndexEntry;
import net.lightqueue.index.IndexOptions;
import net.lightqueue.index.LightQueueIndex;

/** The commitlog offsets in each named light queue of a stopped broker's index. */
final class IndexSnapshot {

    private IndexSnapshot() {
    }

    static Map<String, List<Long>> read(Path storeRoot, List<String> queues) {
        Map<String, List<Long>> snapshot = new LinkedHashMap<>();
        try (LightQueueIndex index = LightQueueIndex.open(storeRoot.resolve("mqtt/index"),
            IndexOptions.builder().blockCacheBytes(16 << 20).build())) {
            for (String queue : queues) {
                long from = index.minOffset(queue);
                List<IndexEntry> entries = index.read(queue, from, (int) (index.maxOffset(queue) - from) + 1);
                snapshot.put(queue, entries.stream().map(IndexEntry::commitLogOffset).toList());
            }
        }
        return snapshot;
    }
}
