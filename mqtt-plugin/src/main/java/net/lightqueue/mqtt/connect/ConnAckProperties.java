package net.lightqueue.mqtt.connect;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import net.lightqueue.mqtt.MqttSettings;

/**
 * The capabilities a v5 CONNACK announces; they must be true.
 */
final class ConnAckProperties {

    private ConnAckProperties() {
    }

    /**
     * @param assignedClientId the identifier the server chose, or null
     * @param serverKeepAlive the keep alive the server imposes, or -1 to accept the client's
     * @param cappedSessionExpiry the session expiry the server uses when it is below the client's, or -1
     */
    static MqttProperties of(MqttSettings settings, String assignedClientId,
                             int serverKeepAlive, long cappedSessionExpiry) {
        MqttProperties properties = new MqttProperties();
        integer(properties, MqttPropertyType.RECEIVE_MAXIMUM, settings.receiveMaximum());
        integer(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, settings.maxPacketSize());
        integer(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum());
        integer(properties, MqttPropertyType.RETAIN_AVAILABLE, 1);
        integer(properties, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1);
        integer(properties, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
        integer(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
        if (assignedClientId != null) {
            properties.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), assignedClientId));
        }
        if (serverKeepAlive >= 0) {
            integer(properties, MqttPropertyType.SERVER_KEEP_ALIVE, serverKeepAlive);
        }
        if (cappedSessionExpiry >= 0) {
            // The client is told the interval actually used (MQTT 5 section 3.2.2.3.2).
            integer(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, (int) cappedSessionExpiry);
        }
        return properties;
    }

    private static void integer(MqttProperties properties, MqttPropertyType type, int value) {
        properties.add(new IntegerProperty(type.value(), value));
    }
}
