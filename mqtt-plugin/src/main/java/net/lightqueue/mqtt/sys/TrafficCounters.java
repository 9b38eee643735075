package net.lightqueue.mqtt.sys;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the MQTT packets of every connection, in and out, as Mosquitto's
 * {@code $SYS/broker/messages/received} and {@code .../sent} do (packets of any type), and
 * among them the PUBLISH packets by QoS with their payload bytes and the CONNACKs by reason
 * code, which the broker's metrics report. One instance sits in every connection's pipeline;
 * LongAdder keeps the event loops from contending.
 */
@Sharable
public final class TrafficCounters extends ChannelDuplexHandler {

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
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof MqttMessage) {
            received.increment();
            if (message instanceof MqttPublishMessage publish) {
                publishesIn.add(publish);
            }
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (message instanceof MqttMessage) {
            sent.increment();
            if (message instanceof MqttPublishMessage publish) {
                publishesOut.add(publish);
            } else if (message instanceof MqttConnAckMessage connAck) {
                connAcks[connAck.variableHeader().connectReturnCode().byteValue() & 0xFF].increment();
            }
        }
        ctx.write(message, promise);
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
