package net.lightqueue.bench;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Receive-side state of one subscriber session: a sequence tracker per publisher it should hear
 * from, and the QoS 2 packet ids awaiting PUBREL. It outlives connections, like the session.
 * Touched only by the event loop of the subscriber's current connection.
 */
final class Inbox implements Deliveries {
    private final Map<Integer, SequenceTracker> byPublisher = new HashMap<>();
    private final Set<Integer> awaitingRelease = new HashSet<>();
    private final RunMeters meters;

    Inbox(int[] expectedPublishers, RunMeters meters) {
        this.meters = meters;
        for (int publisher : expectedPublishers) {
            byPublisher.put(publisher, new SequenceTracker());
        }
    }

    /**
     * Accounts one PUBLISH. A QoS 2 redelivery of a packet id not yet released is the same
     * message (MQTT 4.3.3), so it is not handed to the application, nor counted, twice.
     */
    @Override
    public void onPublish(ByteBuf payload, int qos2PacketId) {
        if (qos2PacketId > 0 && !awaitingRelease.add(qos2PacketId)) {
            return;
        }
        long now = System.nanoTime();
        SequenceTracker tracker = Payload.isBenchmarkPayload(payload) ? byPublisher.get(Payload.publisher(payload)) : null;
        if (tracker == null) {
            meters.unexpected.increment();
            return;
        }
        long uniqueBefore = tracker.unique();
        tracker.onMessage(Payload.sequence(payload));
        meters.onReceived(now, Payload.sentNanos(payload), tracker.unique() > uniqueBefore);
    }

    @Override
    public void onRelease(int packetId) {
        awaitingRelease.remove(packetId);
    }

    Map<Integer, SequenceTracker> trackers() {
        return byPublisher;
    }
}
