package net.lightqueue.mqtt.sys;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the MQTT packets of every connection, in and out, as Mosquitto's
 * {@code $SYS/broker/messages/received} and {@code .../sent} do (packets of any type). One
 * instance sits in every connection's pipeline; LongAdder keeps the event loops from contending.
 */
@Sharable
public final class TrafficCounters extends ChannelDuplexHandler {

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof MqttMessage) {
            received.increment();
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (message instanceof MqttMessage) {
            sent.increment();
        }
        ctx.write(message, promise);
    }

    public long received() {
        return received.sum();
    }

    public long sent() {
        return sent.sum();
    }
}
