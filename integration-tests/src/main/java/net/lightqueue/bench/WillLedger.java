package net.lightqueue.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a will subscriber received: each will carries its client's id, so every expected will
 * must arrive exactly once. Written by the subscriber's event loop, read once that has stopped
 * (or, while waiting, only through the volatile counters).
 */
final class WillLedger implements Deliveries {
    private final Map<String, Integer> arrivals = new HashMap<>();
    private final RunMeters meters;
    private volatile long unique;
    private volatile long lastArrivalNanos;
    private long duplicates;

    WillLedger(Set<String> expectedClientIds, RunMeters meters) {
        this.meters = meters;
        expectedClientIds.forEach(id -> arrivals.put(id, 0));
    }

    @Override
    public void onPublish(ByteBuf payload, int qos2PacketId) {
        String clientId = payload.toString(StandardCharsets.UTF_8);
        Integer before = arrivals.get(clientId);
        if (before == null) {
            meters.unexpected.increment();
            return;
        }
        arrivals.put(clientId, before + 1);
        if (before == 0) {
            unique++;
            lastArrivalNanos = System.nanoTime();
        } else {
            duplicates++;
        }
    }

    @Override
    public void onRelease(int packetId) {
        // wills are subscribed at QoS 1
    }

    long unique() {
        return unique;
    }

    long missing() {
        return arrivals.size() - unique;
    }

    long duplicates() {
        return duplicates;
    }

    long lastArrivalNanos() {
        return lastArrivalNanos;
    }
}
