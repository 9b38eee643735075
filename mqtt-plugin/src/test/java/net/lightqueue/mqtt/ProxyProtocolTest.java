package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * mqttProxyProtocol=true: the client address of the PROXY protocol header is the connection's
 * address, seen here as the born host of what the client publishes.
 */
class ProxyProtocolTest {

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker("mqttProxyProtocol=true");

    @Test
    void versionOneHeaderNamesTheClient() throws Exception {
        byte[] header = "PROXY TCP4 203.0.113.7 127.0.0.1 5555 1883\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("203.0.113.7:5555", publishedFrom(header, "proxied1"));
    }

    @Test
    void versionTwoHeaderNamesTheClient() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(28)
            .put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A})
            .put((byte) 0x21) // version 2, PROXY
            .put((byte) 0x11) // TCP over IPv4
            .putShort((short) 12)
            .put(new byte[] {(byte) 198, 51, 100, 23}).put(new byte[] {127, 0, 0, 1})
            .putShort((short) 40000).putShort((short) 1883);
        assertEquals("198.51.100.23:40000", publishedFrom(header.array(), "proxied2"));
    }

    @Test
    void connectionWithoutHeaderIsClosed() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(RawClient.connect(MqttVersion.MQTT_3_1_1, "no-header", true, 60));
            client.awaitClose();
        }
    }

    /** Connects behind the header, publishes to {@code topic}, and returns the stored message's born host. */
    private static String publishedFrom(byte[] header, String topic) throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.sendRaw(header);
            MqttConnAckMessage connAck = (MqttConnAckMessage) client.connected(MqttVersion.MQTT_3_1_1, topic);
            assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connAck.variableHeader().connectReturnCode());
            client.send(MqttMessageBuilders.publish().topicName(topic + "/t").qos(MqttQoS.AT_LEAST_ONCE).messageId(1)
                .payload(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)).build());
            MqttMessage pubAck = client.read();
            assertEquals(MqttMessageType.PUBACK, pubAck.fixedHeader().messageType());
        }
        MessageExt stored = StoredMessages.readFirst(broker.broker().controller().getMessageStore(), topic);
        InetSocketAddress bornHost = (InetSocketAddress) stored.getBornHost();
        return bornHost.getAddress().getHostAddress() + ":" + bornHost.getPort();
    }
}
