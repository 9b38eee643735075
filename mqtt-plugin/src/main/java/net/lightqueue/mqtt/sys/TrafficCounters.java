package net.lightqueue.mqtt.sys;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.concurrent.atomic.LongAdder;
import net.lightqueue.mqtt.codec.PacketTraffic;

/**
 * Counts the MQTT packets of every connection, in and out, as Mosquitto's
 * {@code $SYS/broker/messages/received} and {@code .../sent} do (packets of any type), and
 * among them the PUBLISH packets by QoS with their payload bytes and the CONNACKs by reason
 * code, which the broker's metrics report. One instance is shown every connection's packets;
 * LongAdder keeps the event loops from contending.
 */
public final class TrafficCounters implements PacketTraffic {

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final PublishCounts publishesIn = new PublishCounts();
    private final PublishCounts publishesOut = new PublishCounts();
    /** Indexed by the CONNACK's return (v3) or reason (v5) code, a byte. */
    private final LongAdder[] connAcks = new LongAdder[256];

    public TrafficCounters() {
        for (int code = 0; code < connAcks.length; code++) {
            connAcks[code] = new LongAdder();
        }
    }

    @Override
    public void received(Object message) {
        if (message instanceof MqttMessage) {
            received.increment();
            if (message instanceof MqttPublishMessage publish) {
                publishesIn.add(publish);
            }
        }
    }

    @Override
    public void sent(Object message) {
        if (message instanceof MqttMessage) {
            sent.increment();
            if (message instanceof MqttPublishMessage publish) {
                publishesOut.add(publish);
            } else if (message instanceof MqttConnAckMessage connAck) {
                connAcks[connAck.variableHeader().connectReturnCode().byteValue() & 0xFF].increment();
            }
        }
    }

    public long received() {
        return received.sum();
    }

    public long sent() {
        return sent.sum();
    }

    /** PUBLISH packets received from clients. */
    public PublishCounts publishesIn() {
        return publishesIn;
    }

    /** PUBLISH packets sent to clients, resends included. */
    public PublishCounts publishesOut() {
        return publishesOut;
    }

    /** CONNACKs sent with {@code code} (0: accepted). */
    public long connAcks(int code) {
        return connAcks[code].sum();
    }

    /** PUBLISH packets by QoS and their payload bytes. */
    public static final class PublishCounts {

        private final LongAdder[] byQos = {new LongAdder(), new LongAdder(), new LongAdder()};
        private final LongAdder payloadBytes = new LongAdder();

        void add(MqttPublishMessage publish) {
            int qos = publish.fixedHeader().qosLevel().value();
            if (qos >= 0 && qos < byQos.length) {
                byQos[qos].increment();
            }
            payloadBytes.add(publish.payload().readableBytes());
        }

        public long count(int qos) {
            return byQos[qos].sum();
        }

        public long payloadBytes() {
            return payloadBytes.sum();
        }
    }
}
