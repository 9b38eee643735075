package net.lightqueue.mqtt.connection;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.SocketAddress;
import net.lightqueue.mqtt.auth.AccessControl;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * One client connection: who it is once CONNECT succeeded, and the ways it ends. Confined to
 * the channel's event loop. Every way of ending logs at most one line, so a misbehaving client
 * costs one log line however many bad packets it sends.
 */
public final class MqttConnection {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.connection");

    private final Channel channel;
    private MqttVersion version;
    private String clientId;
    private AccessControl.Client accessClient;
    private ClientLimits limits;
    private boolean connected;
    private boolean closing;

    public MqttConnection(Channel channel) {
        this.channel = channel;
    }

    /** CONNECT succeeded: from now on packets other than CONNECT are accepted. */
    public void accepted(MqttVersion version, String clientId, String username, ClientLimits limits) {
        this.version = version;
        this.clientId = clientId;
        this.accessClient = new AccessControl.Client(clientId, username, remoteAddress());
        this.limits = limits;
        this.connected = true;
    }

    public Channel channel() {
        return channel;
    }

    public boolean connected() {
        return connected;
    }

    public boolean closing() {
        return closing;
    }

    public boolean isV5() {
        return version == MqttVersion.MQTT_5;
    }

    public MqttVersion version() {
        return version;
    }

    public String clientId() {
        return clientId;
    }

    /** Who the connection is to the access control. */
    public AccessControl.Client accessClient() {
        return accessClient;
    }

    public ClientLimits limits() {
        return limits;
    }

    public SocketAddress remoteAddress() {
        return ClientAddress.of(channel);
    }

    public String remoteIp() {
        return AccessControl.Client.ipOf(remoteAddress());
    }

    /** Sends a packet; nothing once the connection is ending (nothing follows a DISCONNECT [MQTT-3.14.4-1]). */
    public void send(MqttMessage message) {
        if (!closing) {
            channel.writeAndFlush(message, channel.voidPromise());
        }
    }

    /**
     * Ends the connection because of the client or the server's state; a connected v5 client
     * is told why with a DISCONNECT reason code that it gets to read ({@link LastPacket}), a v3
     * client is simply closed.
     */
    public void disconnect(byte reasonCode, String why) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("mqtt {} disconnected (reason 0x{}): {}", this, Integer.toHexString(reasonCode & 0xFF), why);
        if (connected && isV5()) {
            MqttMessage disconnect = new MqttMessage(
                new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, MqttProperties.NO_PROPERTIES));
            LastPacket.sendAndClose(channel, disconnect);
        } else {
            channel.close();
        }
    }

    /** Refuses a CONNECT with a CONNACK return code (v3) or reason code (v5), then closes. */
    public void refuse(MqttConnectReturnCode code, String why) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("mqtt {} refused (0x{}): {}", this, Integer.toHexString(code.byteValue() & 0xFF), why);
        LastPacket.sendAndClose(channel, MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build());
    }

    /** Closes without telling the client anything: for connections that never spoke valid MQTT. */
    public void drop(String why) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("mqtt {} dropped: {}", this, why);
        channel.close();
    }

    /** The client went away or said DISCONNECT itself: nothing to log. */
    public void closeQuietly() {
        closing = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "client " + (clientId != null ? "'" + clientId + "'" : "(before CONNECT)") + " from " + remoteAddress();
    }
}
