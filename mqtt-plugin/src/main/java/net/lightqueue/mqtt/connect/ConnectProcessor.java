package net.lightqueue.mqtt.connect;

import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_ACCEPTED;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.Optional;
import net.lightqueue.dispatch.IndexFailure;
import net.lightqueue.dispatch.topic.RocketTopicNames;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.codec.InputProblem;
import net.lightqueue.mqtt.codec.MqttStrings;
import net.lightqueue.mqtt.connection.ClientCertificate;
import net.lightqueue.mqtt.connection.ClientLimits;
import net.lightqueue.mqtt.connection.MqttConnection;
import net.lightqueue.mqtt.message.StoredProperties;
import net.lightqueue.mqtt.persistence.WillRecord;
import net.lightqueue.mqtt.session.SessionRequest;
import net.lightqueue.mqtt.topic.TopicNames;

/**
 * Handles CONNECT (MQTT 3.1.1 section 3.1, MQTT 5 section 3.1): client identifier rules,
 * credentials, keep alive, takeover, and the CONNACK. Netty's decoder already refused unknown
 * protocol levels and non-zero reserved flags.
 */
public final class ConnectProcessor {

    /**
     * An accepted connection; the caller registers it, settles its session and sends the CONNACK.
     *
     * @param keepAliveSeconds the keep alive the server holds the client to (0 = none)
     * @param session what the session must become
     */
    public record Accepted(int keepAliveSeconds, SessionRequest session, MqttProperties connAckProperties) {

        public MqttMessage connAck(boolean sessionPresent) {
            return MqttMessageBuilders.connAck().returnCode(CONNECTION_ACCEPTED).sessionPresent(sessionPresent)
                .properties(connAckProperties).build();
        }
    }

    private final ConnectServices services;

    public ConnectProcessor(ConnectServices services) {
        this.services = services;
    }

    /** @return null when the connection was refused (and is closing) */
    public Accepted connect(MqttConnection connection, MqttConnectMessage message) {
        MqttConnectVariableHeader header = message.variableHeader();
        MqttConnectPayload payload = message.payload();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        boolean v5 = version == MqttVersion.MQTT_5;
        MqttSettings settings = services.settings();
        MqttProperties properties = header.properties();

        if (!v5 && header.hasPassword() && !header.hasUserName()) {
            connection.drop("password without user name [MQTT-3.1.2-22]");
            return null;
        }
        if (v5 && properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            connection.refuse(CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported");
            return null;
        }
        int receiveMaximum = intProperty(properties, MqttPropertyType.RECEIVE_MAXIMUM, 65535);
        // A Four Byte Integer, unsigned: anything above what the protocol can frame is no limit.
        int maximumPacketSize = (int) Math.min(ClientLimits.PROTOCOL_MAXIMUM_PACKET_SIZE, Integer.toUnsignedLong(
            intProperty(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, ClientLimits.PROTOCOL_MAXIMUM_PACKET_SIZE)));
        if (v5 && (receiveMaximum == 0 || maximumPacketSize == 0)) {
            connection.refuse(CONNECTION_REFUSED_PROTOCOL_ERROR, "Receive Maximum or Maximum Packet Size of 0");
            return null;
        }

        String clientId = payload.clientIdentifier();
        String assignedClientId = null;
        if (clientId == null || clientId.isEmpty()) {
            if (!v5 && !header.isCleanSession()) {
                connection.refuse(CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id without clean session [MQTT-3.1.3-8]");
                return null;
            }
            clientId = ClientIdentifiers.assign();
            assignedClientId = v5 ? clientId : null;
        } else {
            InputProblem problem = clientId.length() > settings.maxClientIdLength()
                ? InputProblem.invalid("longer than mqttMaxClientIdLength=" + settings.maxClientIdLength())
                : MqttStrings.problem(clientId);
            if (problem != null) {
                // Also what keeps U+0000, the separator of the session state keys, out of client ids.
                connection.refuse(v5 ? CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID : CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client id not accepted: " + problem);
                return null;
            }
        }
        InputProblem malformed = malformedString(header, payload);
        if (malformed != null) {
            if (v5) {
                connection.refuse(CONNECTION_REFUSED_MALFORMED_PACKET, "CONNECT " + malformed);
            } else {
                connection.drop("CONNECT " + malformed);
            }
            return null;
        }
        if (header.isWillFlag()) {
            String willTopic = payload.willTopic();
            InputProblem problem = willTopic == null || willTopic.isEmpty() ? InputProblem.invalid("empty will topic")
                : TopicNames.nameProblem(willTopic, settings.maxTopicLength());
            if (problem != null) {
                if (v5) {
                    connection.refuse(problem.malformed() ? CONNECTION_REFUSED_MALFORMED_PACKET
                        : CONNECTION_REFUSED_TOPIC_NAME_INVALID, "will topic: " + problem);
                } else {
                    connection.drop("will topic: " + problem);
                }
                return null;
            }
        }
        if (!services.acceptingConnections().getAsBoolean()) {
            connection.refuse(v5 ? CONNECTION_REFUSED_SERVER_UNAVAILABLE_5 : CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                "this broker is not the master");
            return null;
        }
        Optional<IndexFailure> indexFailure = services.indexFailure().get();
        if (indexFailure.isPresent()) {
            // Every CONNECT records its session, which waits for the index: refused, not left hanging.
            boolean diskFull = indexFailure.get().diskFull();
            connection.refuse(!v5 ? CONNECTION_REFUSED_SERVER_UNAVAILABLE
                    : diskFull ? CONNECTION_REFUSED_QUOTA_EXCEEDED : CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                "the broker cannot record sessions at the moment" + (diskFull ? " (its index disk is full)" : ""));
            return null;
        }
        String username;
        if (settings.tlsCertAsUsername() && ClientCertificate.isTls(connection.channel())) {
            // The handshake verified the certificate against mqttTlsTrustCertFile: it is the
            // credential, so neither the CONNECT user name nor its password counts.
            username = ClientCertificate.commonName(connection.channel());
            if (username == null) {
                connection.refuse(refusal(v5, AccessControl.Outcome.BAD_CREDENTIALS),
                    "mqttTlsCertAsUsername=true and the client presented no certificate with a subject CN");
                return null;
            }
        } else {
            username = header.hasUserName() ? payload.userName() : null;
            byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
            AccessControl.Outcome outcome = services.access().authenticate(clientId, username, password,
                connection.remoteIp());
            if (outcome != AccessControl.Outcome.ALLOWED) {
                connection.refuse(refusal(v5, outcome), "authentication failed for user " + username);
                return null;
            }
        }

        String willLevel = header.isWillFlag() ? Topics.firstLevel(payload.willTopic()) : null;
        String willRocketTopic = willLevel == null ? null : RocketTopicNames.of(willLevel);
        String willForbidden = willLevel == null ? null : services.reserved().publishProblem(willLevel, willRocketTopic);
        if (willForbidden != null) {
            connection.refuse(v5 ? CONNECTION_REFUSED_NOT_AUTHORIZED_5 : CONNECTION_REFUSED_NOT_AUTHORIZED,
                "the will may not go to " + payload.willTopic() + ": " + willForbidden);
            return null;
        }
        // A will the user may not publish is refused now, while the client can still be told.
        if (header.isWillFlag() && !services.access().mayPublish(
            new AccessControl.Client(clientId, username, connection.remoteAddress()), willRocketTopic)) {
            connection.refuse(v5 ? CONNECTION_REFUSED_NOT_AUTHORIZED_5 : CONNECTION_REFUSED_NOT_AUTHORIZED,
                "not authorized to publish the will to " + payload.willTopic());
            return null;
        }

        int requestedKeepAlive = header.keepAliveTimeSeconds();
        int keepAlive = effectiveKeepAlive(v5, requestedKeepAlive);
        ClientLimits limits = v5
            ? new ClientLimits(Math.min(receiveMaximum, settings.inflightWindow()), maximumPacketSize,
                intProperty(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0))
            : new ClientLimits(settings.inflightWindow(), ClientLimits.PROTOCOL_MAXIMUM_PACKET_SIZE, 0);
        connection.accepted(version, clientId, username, limits);
        long requestedExpiry = Integer.toUnsignedLong(intProperty(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0));
        long expiry = v5 ? settings.cappedSessionExpiry(requestedExpiry)
            : header.isCleanSession() ? 0 : settings.v3SessionExpirySeconds();
        MqttProperties ackProperties = v5
            ? ConnAckProperties.of(settings, assignedClientId,
                keepAlive != requestedKeepAlive ? keepAlive : -1,
                expiry != requestedExpiry ? expiry : -1)
            : MqttProperties.NO_PROPERTIES;
        WillRecord will = header.isWillFlag() ? will(clientId, header, payload) : null;
        return new Accepted(keepAlive,
            new SessionRequest(clientId, header.version(), header.isCleanSession(), expiry, will), ackProperties);
    }

    /**
     * Which UTF-8 string of the CONNECT other than the client id and will topic is invalid
     * [MQTT-1.5.4-1, MQTT-1.5.4-2], or null.
     */
    private static InputProblem malformedString(MqttConnectVariableHeader header, MqttConnectPayload payload) {
        InputProblem problem = header.hasUserName() ? MqttStrings.problem(payload.userName()) : null;
        if (problem != null) {
            return problem.in("user name");
        }
        problem = MqttStrings.problem(header.properties());
        if (problem == null && header.isWillFlag()) {
            problem = MqttStrings.problem(payload.willProperties());
        }
        return problem;
    }

    /** The will in the form it is stored and published in (MQTT 5 will properties included). */
    private static WillRecord will(String clientId, MqttConnectVariableHeader header, MqttConnectPayload payload) {
        MqttProperties willProperties = payload.willProperties();
        long delay = Integer.toUnsignedLong(intProperty(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL, 0));
        return new WillRecord(payload.willTopic(), payload.willMessageInBytes(),
            StoredProperties.of(payload.willTopic(), header.willQos(), header.isWillRetain(), clientId, willProperties),
            delay);
    }

    /** The client's keep alive, replaced by the Server Keep Alive (v5) and capped by the maximum. */
    private int effectiveKeepAlive(boolean v5, int requested) {
        MqttSettings settings = services.settings();
        int keepAlive = v5 && settings.serverKeepAlive() > 0 ? settings.serverKeepAlive() : requested;
        int max = settings.keepAliveMaxSeconds();
        if (max > 0 && (keepAlive == 0 || keepAlive > max)) {
            keepAlive = max;
        }
        return keepAlive;
    }

    private static MqttConnectReturnCode refusal(boolean v5, AccessControl.Outcome outcome) {
        if (outcome == AccessControl.Outcome.BAD_CREDENTIALS) {
            return v5 ? CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD : CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        }
        return v5 ? CONNECTION_REFUSED_NOT_AUTHORIZED_5 : CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    private static int intProperty(MqttProperties properties, MqttPropertyType type, int absent) {
        return properties.getProperty(type.value()) instanceof IntegerProperty integer ? integer.value() : absent;
    }
}
