package net.lightqueue.mqtt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing a client sends after CONNECT is handled before the server accepted it with CONNACK. */
class ConnectGateTest {

    /** Stands for the MQTT handler: records what reaches it. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> received = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add(msg);
        }
    }

    private final Recorder handler = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ConnectGate(), handler);

    @Test
    void packetsAfterConnectWaitForTheAcceptingConnAckThenPassInOrder() {
        MqttMessage connect = connect();
        MqttPublishMessage first = publish("a");
        MqttPublishMessage second = publish("b");
        channel.writeInbound(connect, first, second);

        assertEquals(List.of(connect), handler.received, "only CONNECT passes before CONNACK");
        assertFalse(channel.config().isAutoRead(), "reading pauses while the session is settled");

        channel.writeOutbound(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        channel.runPendingTasks();

        assertEquals(List.of(connect, first, second), handler.received);
        assertTrue(channel.config().isAutoRead());
        assertNull(channel.pipeline().get(ConnectGate.class), "the gate leaves the pipeline");
        MqttPublishMessage later = publish("c");
        channel.writeInbound(later);
        assertSame(later, handler.received.get(3));
        releaseAll();
    }

    @Test
    void aRefusingConnAckKeepsThemHeldAndClosingReleasesThem() {
        MqttPublishMessage held = publish("a");
        channel.writeInbound(connect(), held);
        channel.writeOutbound(connAck(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5));
        channel.runPendingTasks();
        assertEquals(1, handler.received.size());

        channel.close();
        assertEquals(0, held.refCnt(), "the held packet was released");
    }

    @Test
    void aFirstPacketOtherThanConnectPassesForTheHandlerToRefuse() {
        MqttMessage ping = MqttMessage.PINGREQ;
        channel.writeInbound(ping);
        assertEquals(List.of(ping), handler.received);
        assertTrue(channel.config().isAutoRead());
    }

    private static MqttMessage connect() {
        return MqttMessageBuilders.connect().clientId("c").protocolVersion(MqttVersion.MQTT_5).build();
    }

    private static MqttMessage connAck(MqttConnectReturnCode code) {
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    }

    private static MqttPublishMessage publish(String payload) {
        return MqttMessageBuilders.publish().topicName("t").qos(MqttQoS.AT_MOST_ONCE)
            .payload(Unpooled.copiedBuffer(payload.getBytes())).build();
    }

    private void releaseAll() {
        for (Object message : handler.received) {
            if (message instanceof MqttPublishMessage publish) {
                publish.release();
            }
        }
    }
}
