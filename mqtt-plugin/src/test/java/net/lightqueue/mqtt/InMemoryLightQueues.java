package net.lightqueue.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import net.lightqueue.dispatch.ArrivalListener;
import net.lightqueue.dispatch.LightQueues;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.RetainedPage;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StateChange;
import net.lightqueue.mqtt.persistence.StateFamilies;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.dispatch.SubscriptionRecord;

/**
 * The light queues in heap, for broker-free tests of what reads queues and keeps state: queues
 * the test appends to ({@link #append}), subscriptions, and the protocol state families, each
 * change applied at once, or when the test says so after {@link #holdStateWrites}. Retained
 * messages and arrival listeners are not kept.
 */
public final class InMemoryLightQueues implements LightQueues {

    private final Map<String, List<StoredMessage>> queues = new HashMap<>();
    private final Map<String, TreeMap<String, SubscriptionRecord>> subscriptions = new HashMap<>();
    private final Map<String, TreeMap<byte[], byte[]>> state = new HashMap<>();
    private long commitLogOffset;
    /** State writes waiting for the test, when it holds them. */
    private List<HeldWrite> heldStateWrites;

    private record HeldWrite(List<StateChange> changes, CompletableFuture<Long> applied) {
    }

    /** Appends a message to the filter's queue (as the dispatcher would) and returns it. */
    public synchronized StoredMessage append(String filter, String mqttTopic, String body) {
        List<StoredMessage> queue = queues.computeIfAbsent(filter, key -> new ArrayList<>());
        StoredMessage message = new StoredMessage(mqttTopic, body.getBytes(StandardCharsets.UTF_8), Map.of(),
            0, queue.size(), commitLogOffset++);
        queue.add(message);
        return message;
    }

    @Override
    public synchronized CompletableFuture<Subscription> subscribe(String subscriberId, String filter, byte[] options) {
        long start = maxOffset(filter);
        subscriptions.computeIfAbsent(subscriberId, key -> new TreeMap<>())
            .put(filter, new SubscriptionRecord(filter, start, options));
        return CompletableFuture.completedFuture(new Subscription(subscriberId, filter, start, commitLogOffset++));
    }

    @Override
    public synchronized CompletableFuture<Void> unsubscribe(String subscriberId, String filter) {
        TreeMap<String, SubscriptionRecord> records = subscriptions.get(subscriberId);
        if (records != null) {
            records.remove(filter);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> unsubscribeAll(String subscriberId) {
        subscriptions.remove(subscriberId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized List<SubscriptionRecord> subscriptionsOf(String subscriberId) {
        return List.copyOf(subscriptions.getOrDefault(subscriberId, new TreeMap<>()).values());
    }

    @Override
    public synchronized CompletableFuture<Long> writeState(List<StateChange> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no changes"));
        }
        if (heldStateWrites == null) {
            return CompletableFuture.completedFuture(apply(changes));
        }
        HeldWrite held = new HeldWrite(List.copyOf(changes), new CompletableFuture<>());
        heldStateWrites.add(held);
        return held.applied();
    }

    private synchronized long apply(List<StateChange> changes) {
        for (StateChange change : changes) {
            TreeMap<byte[], byte[]> family = family(change.family());
            if (change.isDelete()) {
                family.remove(change.key());
            } else {
                family.put(change.key().clone(), change.value().clone());
            }
        }
        return commitLogOffset++;
    }

    /** From now on state writes wait for {@link #applyHeldStateWrites} or {@link #failHeldStateWrites}. */
    public synchronized void holdStateWrites() {
        heldStateWrites = new ArrayList<>();
    }

    /** Applies the held writes in order and completes them; returns how many. Later writes are held too. */
    public int applyHeldStateWrites() {
        List<HeldWrite> held = takeHeldStateWrites();
        held.forEach(write -> write.applied().complete(apply(write.changes())));
        return held.size();
    }

    /** Fails the held writes without applying them, as writes the broker refused; returns how many. */
    public int failHeldStateWrites() {
        List<HeldWrite> held = takeHeldStateWrites();
        held.forEach(write -> write.applied().completeExceptionally(new IllegalStateException("state write refused")));
        return held.size();
    }

    private synchronized List<HeldWrite> takeHeldStateWrites() {
        List<HeldWrite> held = heldStateWrites;
        heldStateWrites = new ArrayList<>();
        return held;
    }

    @Override
    public synchronized byte[] readState(String family, byte[] key) {
        byte[] value = family(family).get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public synchronized void scanState(String family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        for (Map.Entry<byte[], byte[]> entry : family(family).tailMap(prefix, true).entrySet()) {
            byte[] key = entry.getKey();
            boolean prefixed = key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
            if (!prefixed || !visitor.test(key.clone(), entry.getValue().clone())) {
                return;
            }
        }
    }

    /** Every key of the family, to check what a test left behind. */
    public synchronized int stateCount(String family) {
        return family(family).size();
    }

    @Override
    public synchronized ReadResult read(String filter, long fromOffset, int maxCount) {
        List<StoredMessage> queue = queues.getOrDefault(filter, List.of());
        int from = (int) Math.min(fromOffset, queue.size());
        int to = Math.min(queue.size(), from + maxCount);
        return new ReadResult(List.copyOf(queue.subList(from, to)), to, 0);
    }

    @Override
    public synchronized long maxOffset(String filter) {
        return queues.getOrDefault(filter, List.of()).size();
    }

    private TreeMap<byte[], byte[]> family(String family) {
        if (!StateFamilies.ALL.contains(family)) {
            throw new IllegalArgumentException("undeclared state family '" + family + "'");
        }
        return state.computeIfAbsent(family, key -> new TreeMap<>(Arrays::compareUnsigned));
    }

    @Override
    public long subscriptionCount() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredMessage> retained(String filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RetainedVersion> retainedVersions(String filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RetainedPage retainedPage(String filter, String after, int maxVersions, long maxBytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long retainedCount() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addArrivalListener(ArrivalListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeArrivalListener(ArrivalListener listener) {
        throw new UnsupportedOperationException();
    }
}
