package net.lightqueue.bench;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Publish side of one client: numbers its messages, paces them (fixed rate or as fast as the
 * in-flight window and socket allow) and runs the QoS 1/2 acknowledgement flows.
 * Everything but {@link #sent()} and {@link #inflight()} runs on the channel's event loop.
 */
final class Outbox {
    /** Messages written per pump before yielding the event loop to other channels. */
    private static final int MAX_BATCH = 64;

    private final int index;
    private final String topic;
    private final MqttQoS qos;
    private final int payloadBytes;
    private final long limit;
    private final double ratePerSecond;
    private final RunMeters meters;
    private final Runnable onFinished;
    /** Packet id to "PUBREC received" (QoS 2) for every unacknowledged publish. */
    private final IntObjectHashMap<Boolean> inflight = new IntObjectHashMap<>();

    private Channel channel;
    private int window;
    private int nextPacketId = 1;
    private long startNanos;
    private boolean running;
    private volatile long sent;
    private volatile int inflightCount;

    Outbox(int index, String topic, BenchOptions options, double ratePerSecond, RunMeters meters, Runnable onFinished) {
        this.index = index;
        this.topic = topic;
        this.qos = options.publishQos();
        this.payloadBytes = options.payloadBytes();
        this.limit = options.count();
        this.ratePerSecond = ratePerSecond;
        this.window = options.inflight();
        this.meters = meters;
        this.onFinished = onFinished;
    }

    boolean paced() {
        return ratePerSecond > 0;
    }

    long sent() {
        return sent;
    }

    int inflight() {
        return inflightCount;
    }

    void bind(Channel channel) {
        this.channel = channel;
    }

    /** A v5 broker's Receive Maximum caps our window: exceeding it is a protocol error. */
    void limitWindow(int receiveMaximum) {
        window = Math.min(window, receiveMaximum);
    }

    void start(long startNanos) {
        this.startNanos = startNanos;
        running = true;
        pump();
    }

    void stop() {
        if (running) {
            running = false;
            onFinished.run();
        }
    }

    void pump() {
        if (!running || channel == null) {
            return;
        }
        long now = System.nanoTime();
        if (now < startNanos) {
            return; // a paced publisher before its phase
        }
        long due = paced() ? (long) ((now - startNanos) * ratePerSecond / 1e9) + 1 : Long.MAX_VALUE;
        int batch = 0;
        while (running && sent < due && batch < MAX_BATCH && windowOpen() && channel.isWritable()) {
            send(now);
            batch++;
            if (limit > 0 && sent == limit) {
                stop();
            }
        }
        if (batch > 0) {
            channel.flush();
        }
        if (running && batch == MAX_BATCH && !paced()) {
            channel.eventLoop().execute(this::pump);
        }
    }

    private boolean windowOpen() {
        return qos == MqttQoS.AT_MOST_ONCE || inflight.size() < window;
    }

    private void send(long now) {
        int packetId = 0;
        if (qos != MqttQoS.AT_MOST_ONCE) {
            packetId = nextFreePacketId();
            inflight.put(packetId, Boolean.FALSE);
            inflightCount = inflight.size();
        }
        // Built directly: MqttMessageBuilders.publish() would copy the payload into a new buffer.
        channel.write(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId),
                Payload.encode(channel.alloc(), payloadBytes, index, sent, now)), channel.voidPromise());
        sent++;
        meters.onSent(now);
    }

    private int nextFreePacketId() {
        int id = nextPacketId;
        while (inflight.containsKey(id)) {
            id = id == 65535 ? 1 : id + 1;
        }
        nextPacketId = id == 65535 ? 1 : id + 1;
        return id;
    }

    /** PUBACK (QoS 1) or PUBCOMP (QoS 2) ends a flow. */
    void onCompleted(int packetId) {
        if (inflight.remove(packetId) != null) {
            inflightCount = inflight.size();
            meters.onAcked(System.nanoTime());
            pump();
        }
    }

    /** PUBREC: the broker owns the message now; the caller answers with PUBREL. */
    void onPubRec(int packetId) {
        inflight.replace(packetId, Boolean.TRUE);
    }
}
