package net.lightqueue.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.lightqueue.mqtt.sys.TrafficCounters;
import org.junit.jupiter.api.Test;

/**
 * A PUBLISH written with its shared payload (by the server's {@link PacketEncoder}) is byte for
 * byte the packet Netty's encoder writes.
 */
class SharedPayloadEncoderTest {

    private static final int LARGE = SharedPayloadEncoder.MIN_SHARED_PAYLOAD;

    @Test
    void aV5PublishWithEveryPropertyAPublishCarriesIsEncodedAsNettyEncodesIt() {
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        properties.add(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 3600));
        properties.add(new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "application/json"));
        properties.add(new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "reply/ü"));
        properties.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), new byte[] {1, 2, 3}));
        UserProperties user = new UserProperties();
        user.add("site", "north");
        user.add("site", "south");
        properties.add(user);
        properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 5));
        properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 268_435_455));
        properties.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 300));

        assertSameAsNetty(MqttVersion.MQTT_5, publish("", 2, true, true, 65535, properties, LARGE));
        assertSameAsNetty(MqttVersion.MQTT_5, publish("a/b", 0, false, false, -1, properties, 3 * LARGE));
    }

    @Test
    void v3PublishesAndRemainingLengthsOfEverySizeAreEncodedAsNettyEncodesThem() {
        for (int payload : new int[] {LARGE, 2_097_151 - 9, 2_097_152, 3 << 20}) {
            assertSameAsNetty(MqttVersion.MQTT_3_1_1, publish("sensors/1/temperature", 1, false, true, 7,
                MqttProperties.NO_PROPERTIES, payload));
        }
        assertSameAsNetty(MqttVersion.MQTT_5, publish("t", 1, false, false, 1, MqttProperties.NO_PROPERTIES, LARGE));
    }

    @Test
    void theSharedPayloadIsWrittenNotCopiedAndSmallOrHeapPayloadsGoToNettysEncoder() {
        ByteBuf shared = Unpooled.directBuffer(LARGE).writeBytes(new byte[LARGE]);
        EmbeddedChannel channel = channel(MqttVersion.MQTT_3_1_1, true);
        channel.writeOutbound(publish("t", 0, false, false, -1, MqttProperties.NO_PROPERTIES, shared.retainedDuplicate()));
        ByteBuf written = channel.readOutbound();
        assertEquals(2, written.nioBufferCount(), "the header, then the payload");
        shared.setByte(0, 'Z');
        assertEquals('Z', written.getByte(written.readableBytes() - LARGE), "the payload itself, not a copy");
        written.release();
        assertEquals(1, shared.refCnt(), "the packet let go of the payload once written");
        shared.release();

        assertAccepted(true, publish("t", 0, false, false, -1, MqttProperties.NO_PROPERTIES, LARGE));
        assertAccepted(false, publish("t", 0, false, false, -1, MqttProperties.NO_PROPERTIES, LARGE - 1));
        assertAccepted(false, new MqttPublishMessage(
            new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttPublishVariableHeader("t", -1), Unpooled.wrappedBuffer(new byte[LARGE]))); // heap: copied anyway
    }

    /** Large direct payloads are shared; small ones, and heap ones (copied to direct memory anyway), go to Netty. */
    private static void assertAccepted(boolean shared, MqttPublishMessage publish) {
        assertEquals(shared, SharedPayloadEncoder.shares(publish));
        publish.release();
    }

    private static void assertSameAsNetty(MqttVersion version, MqttPublishMessage publish) {
        EmbeddedChannel netty = channel(version, false);
        netty.writeOutbound(publish.retainedDuplicate());
        EmbeddedChannel ours = channel(version, true);
        ours.writeOutbound(publish);
        ByteBuf expected = netty.readOutbound();
        ByteBuf actual = ours.readOutbound();
        assertEquals(ByteBufUtil.hexDump(expected, 0, Math.min(64, expected.readableBytes())),
            ByteBufUtil.hexDump(actual, 0, Math.min(64, actual.readableBytes())));
        assertTrue(ByteBufUtil.equals(expected, actual), "the whole packet");
        expected.release();
        actual.release();
    }

    private static EmbeddedChannel channel(MqttVersion version, boolean shared) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
        channel.pipeline().addLast(shared ? new PacketEncoder(new TrafficCounters()) : MqttEncoder.INSTANCE);
        return channel;
    }

    private static MqttPublishMessage publish(String topic, int qos, boolean dup, boolean retain, int packetId,
                                              MqttProperties properties, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        System.arraycopy("start".getBytes(StandardCharsets.UTF_8), 0, payload, 0, 5);
        return publish(topic, qos, dup, retain, packetId, properties, Unpooled.directBuffer(payloadBytes).writeBytes(payload));
    }

    private static MqttPublishMessage publish(String topic, int qos, boolean dup, boolean retain, int packetId,
                                              MqttProperties properties, ByteBuf payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
            new MqttPublishVariableHeader(topic, packetId, properties), payload);
    }
}
