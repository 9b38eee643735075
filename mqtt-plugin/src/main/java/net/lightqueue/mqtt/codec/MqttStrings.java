package net.lightqueue.mqtt.codec;

import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * The rules for MQTT UTF-8 strings (client ids, user names, topics, filters, string
 * properties): well-formed UTF-8 without surrogates [MQTT-1.5.4-1] and without U+0000
 * [MQTT-1.5.4-2]. Netty decodes strings leniently, replacing every ill-formed sequence
 * (encoded surrogates and overlong forms included) with U+FFFD, so a U+FFFD is taken as the
 * trace of invalid UTF-8 on the wire; a client cannot send U+FFFD itself.
 */
public final class MqttStrings {

    private MqttStrings() {
    }

    /** Why the text is not a valid MQTT string, or null if it is (or is absent). */
    public static InputProblem problem(String text) {
        if (text == null) {
            return null;
        }
        if (text.indexOf('\uFFFD') >= 0) {
            return InputProblem.malformed("not well-formed UTF-8 [MQTT-1.5.4-1]");
        }
        if (text.indexOf('\u0000') >= 0) {
            return InputProblem.malformed("U+0000 [MQTT-1.5.4-2]");
        }
        return null;
    }

    /** Why a string property (user properties included) is not a valid MQTT string, or null. */
    public static InputProblem problem(MqttProperties properties) {
        if (properties == MqttProperties.NO_PROPERTIES) {
            return null; // every v3 packet: listAll() would copy for nothing (isEmpty() ignores user properties)
        }
        // listAll() groups user properties into one UserProperties.
        for (MqttProperty<?> property : properties.listAll()) {
            InputProblem problem = null;
            if (property instanceof StringProperty text) {
                problem = problem(text.value());
            } else if (property instanceof UserProperties pairs) {
                for (StringPair pair : pairs.value()) {
                    problem = problem(pair);
                    if (problem != null) {
                        break;
                    }
                }
            }
            if (problem != null) {
                return problem.in("property " + property.propertyId());
            }
        }
        return null;
    }

    /** Why a string property of the packet is not a valid MQTT string, or null. */
    public static InputProblem propertiesProblem(MqttMessage packet) {
        Object header = packet.variableHeader();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (header instanceof MqttPublishVariableHeader publish) {
            properties = publish.properties();
        } else if (header instanceof MqttPubReplyMessageVariableHeader reply) {
            properties = reply.properties();
        } else if (header instanceof MqttMessageIdAndPropertiesVariableHeader withId) {
            properties = withId.properties();
        } else if (header instanceof MqttReasonCodeAndPropertiesVariableHeader withReason) {
            properties = withReason.properties();
        } else if (header instanceof MqttConnectVariableHeader connect) {
            properties = connect.properties();
        }
        return problem(properties);
    }

    private static InputProblem problem(StringPair pair) {
        InputProblem key = problem(pair.key);
        return key != null ? key : problem(pair.value);
    }
}
