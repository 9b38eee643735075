package net.lightqueue.mqtt.delivery;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.message.StoredProperties;

/**
 * A {@link Cursor} over messages kept in a list, queue offset = index, that records what the
 * deliverer does with it. Like a light queue cursor it only knows its end from what it read
 * and from {@link #refreshEnd}: a message {@link #append appended} stays unseen until then,
 * one {@link #arrive arrived} is signalled at once.
 */
final class ListCursor extends SubscriptionPosition {

    private final List<StoredMessage> messages = new ArrayList<>();
    private long knownEnd;
    /** The {@code completed} of every {@link #settle}, in order. */
    final List<Integer> settled = new ArrayList<>();
    /** One future per {@link #released} call, completed by the test. */
    final List<CompletableFuture<Void>> releases = new ArrayList<>();
    /** The records asked for before QoS 2 sends; each completes at once unless {@link #holdSendRecords}. */
    final List<CompletableFuture<Void>> sendRecords = new ArrayList<>();
    boolean holdSendRecords;
    int refreshes;
    /** The {@link #read} calls. */
    int reads;

    ListCursor(String name, SubscriptionOptions options) {
        super(name, options, 0);
    }

    /** A subscription granted {@code qos}, without further options. */
    static ListCursor subscription(String filter, int qos) {
        return new ListCursor(filter, new SubscriptionOptions(qos, false, false, 0, 0));
    }

    /** A message published now at {@code qos} by another client, body = its topic; not yet in a queue. */
    static StoredMessage message(String topic, int qos, long commitLogOffset) {
        return message(topic, qos, commitLogOffset, "publisher", System.currentTimeMillis(), Map.of());
    }

    /** A message with extra stored properties ({@link StoredProperties} names), stored at {@code storeTimestamp}. */
    static StoredMessage message(String topic, int qos, long commitLogOffset, String clientId, long storeTimestamp,
                                 Map<String, String> extra) {
        Map<String, String> properties = StoredProperties.of(topic, qos, false, clientId, MqttProperties.NO_PROPERTIES);
        properties.putAll(extra);
        return new StoredMessage(topic, topic.getBytes(StandardCharsets.UTF_8), properties, storeTimestamp, -1,
            commitLogOffset);
    }

    /** The same message with another body. */
    static StoredMessage withBody(StoredMessage message, byte[] body) {
        return new StoredMessage(message.mqttTopic(), body, message.properties(), message.storeTimestamp(),
            message.queueOffset(), message.commitLogOffset());
    }

    /** Adds the message at the queue's end, signalled: the cursor knows it is there. */
    ListCursor arrive(StoredMessage message) {
        append(message);
        knownEnd = messages.size();
        return this;
    }

    /** Adds the message at the queue's end without a signal: seen only by a read or {@link #refreshEnd}. */
    StoredMessage append(StoredMessage message) {
        StoredMessage queued = new StoredMessage(message.mqttTopic(), message.body(), message.properties(),
            message.storeTimestamp(), messages.size(), message.commitLogOffset());
        messages.add(queued);
        return queued;
    }

    /** The sum of the {@code completed} of every settle. */
    int completed() {
        return settled.stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public ReadResult read(int count) {
        reads++;
        int from = (int) nextOffset();
        int to = Math.min(messages.size(), from + count);
        return new ReadResult(List.copyOf(messages.subList(from, to)), to, 0);
    }

    @Override
    public void advance(long next, boolean foundNothing) {
        super.advance(next, foundNothing);
        if (foundNothing) {
            knownEnd = next;
        }
    }

    @Override
    public boolean mayHaveMessages() {
        return nextOffset() < knownEnd;
    }

    @Override
    public void refreshEnd() {
        refreshes++;
        knownEnd = Math.max(knownEnd, messages.size());
    }

    @Override
    public StoredMessage messageAt(long offset) {
        return offset < messages.size() ? messages.get((int) offset) : null;
    }

    @Override
    public boolean rereads() {
        return true; // a queue, like the broker's
    }

    @Override
    public void settle(int completed) {
        settled.add(completed);
    }

    @Override
    public CompletableFuture<?> recordSent() {
        CompletableFuture<Void> record = new CompletableFuture<>();
        sendRecords.add(record);
        if (!holdSendRecords) {
            record.complete(null);
        }
        return record;
    }

    @Override
    public CompletableFuture<?> released() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        releases.add(release);
        return release;
    }

    @Override
    public void receiveMaximum(int maximum) {
    }

    @Override
    public CompletableFuture<?> close(boolean unsubscribed) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return name();
    }
}
