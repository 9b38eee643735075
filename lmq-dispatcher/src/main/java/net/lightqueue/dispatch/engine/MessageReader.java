package net.lightqueue.dispatch.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.index.IndexEntry;
import net.lightqueue.index.LightQueueIndex;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.store.DefaultMessageStore;

/** Reads a light queue's messages: entries from the index, bodies from the commitlog, through the cache. */
public final class MessageReader {

    private final LightQueueIndex index;
    private final DefaultMessageStore store;
    private final MessageCache cache;

    public MessageReader(LightQueueIndex index, DefaultMessageStore store, int cacheSlots, long cacheBytes) {
        this.index = index;
        this.store = store;
        this.cache = new MessageCache(cacheSlots, cacheBytes);
    }

    /** Drops every decoded message: the index was rebuilt, and an offset may now hold another one. */
    public void forgetCached() {
        cache.clear();
    }

    public ReadResult read(String queue, long fromOffset, int maxCount) {
        List<IndexEntry> entries = index.read(queue, fromOffset, maxCount);
        if (entries.isEmpty()) {
            long min = index.minOffset(queue);
            long next = Math.max(fromOffset, min);
            return new ReadResult(List.of(), next, (int) Math.min(Integer.MAX_VALUE, next - fromOffset));
        }
        // Entries below the queue's first one were removed with their commitlog files.
        long skipped = Math.max(0, entries.get(0).queueOffset() - fromOffset);
        long minPhysicalOffset = store.getMinPhyOffset();
        List<StoredMessage> messages = new ArrayList<>(entries.size());
        for (IndexEntry entry : entries) {
            DecodedMessage message = entry.commitLogOffset() < minPhysicalOffset ? null : decoded(entry);
            if (message == null) {
                skipped++;
            } else {
                messages.add(message.at(entry.queueOffset()));
            }
        }
        long next = entries.get(entries.size() - 1).queueOffset() + 1;
        return new ReadResult(messages, next, (int) Math.min(Integer.MAX_VALUE, skipped));
    }

    private DecodedMessage decoded(IndexEntry entry) {
        DecodedMessage cached = cache.get(entry.commitLogOffset());
        if (cached != null) {
            return cached;
        }
        DecodedMessage message = decode(entry);
        if (message != null) {
            cache.put(message);
        }
        return message;
    }

    /** Null if the commitlog no longer holds the message (deleted by retention meanwhile). */
    private DecodedMessage decode(IndexEntry entry) {
        MessageExt message = CommitLogMessages.read(store.getCommitLog(), entry.commitLogOffset(), entry.size());
        if (message == null) {
            return null;
        }
        Map<String, String> properties = Collections.unmodifiableMap(message.getProperties());
        return new DecodedMessage(MqttMessageProperties.mqttTopic(message.getTopic(), properties), message.getBody(),
            properties, message.getStoreTimestamp(), entry.commitLogOffset());
    }
}
