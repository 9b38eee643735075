package net.lightqueue.mqtt.message;

import static net.lightqueue.dispatch.MqttMessageProperties.CLIENT_ID;
import static net.lightqueue.dispatch.MqttMessageProperties.CONTENT_TYPE;
import static net.lightqueue.dispatch.MqttMessageProperties.CORRELATION_DATA;
import static net.lightqueue.dispatch.MqttMessageProperties.MESSAGE_EXPIRY_INTERVAL;
import static net.lightqueue.dispatch.MqttMessageProperties.ORIGIN_MQTT_TOPIC;
import static net.lightqueue.dispatch.MqttMessageProperties.PAYLOAD_FORMAT;
import static net.lightqueue.dispatch.MqttMessageProperties.QOS;
import static net.lightqueue.dispatch.MqttMessageProperties.RESPONSE_TOPIC;
import static net.lightqueue.dispatch.MqttMessageProperties.RETAIN;
import static net.lightqueue.dispatch.MqttMessageProperties.RETAIN_SET;
import static net.lightqueue.dispatch.MqttMessageProperties.USER_PROPERTIES;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.MqttMessageProperties;

/**
 * How an MQTT publish is kept in the RocketMQ message properties named by
 * {@link MqttMessageProperties}, and read back for delivery.
 *
 * <p>Reading back is lenient, as RocketMQ producers may set these properties by hand: a value
 * that is not what this class writes is read as if absent (an unknown QoS as the QoS of a
 * native message, 1), a '%' that starts no escape stays as it is, a user property without
 * '=' has an empty value. A message is never refused for its properties.
 */
public final class StoredProperties {

    private static final String PAIR_SEPARATORS = "=&";
    private static final long MAX_EXPIRY_SECONDS = 0xFFFFFFFFL;

    private StoredProperties() {
    }

    /** The RocketMQ properties of an MQTT publish. */
    public static Map<String, String> of(String mqttTopic, int qos, boolean retain, String clientId,
                                         MqttProperties mqtt) {
        Map<String, String> properties = new HashMap<>();
        // Stored as is: topic names with RocketMQ's separators are refused (TopicNames).
        properties.put(ORIGIN_MQTT_TOPIC, mqttTopic);
        properties.put(QOS, Integer.toString(qos));
        if (retain) {
            properties.put(RETAIN, RETAIN_SET);
        }
        properties.put(CLIENT_ID, PropertyText.escape(clientId, ""));
        List<StringPair> userProperties = userProperties(mqtt);
        if (!userProperties.isEmpty()) {
            properties.put(USER_PROPERTIES, encodeUserProperties(userProperties));
        }
        putText(properties, CONTENT_TYPE, mqtt.getProperty(MqttPropertyType.CONTENT_TYPE.value()));
        putText(properties, RESPONSE_TOPIC, mqtt.getProperty(MqttPropertyType.RESPONSE_TOPIC.value()));
        if (mqtt.getProperty(MqttPropertyType.CORRELATION_DATA.value()) instanceof BinaryProperty data) {
            properties.put(CORRELATION_DATA, Base64.getEncoder().encodeToString(data.value()));
        }
        putInteger(properties, MESSAGE_EXPIRY_INTERVAL, mqtt.getProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value()));
        putInteger(properties, PAYLOAD_FORMAT, mqtt.getProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()));
        return properties;
    }

    /**
     * The MQTT 5 properties to send with a stored message (no expiry: the sender computes the
     * remaining interval; no topic alias or subscription identifier: they belong to the delivery).
     */
    public static MqttProperties toMqtt(Map<String, String> properties) {
        MqttProperties mqtt = new MqttProperties();
        String userProperties = properties.get(USER_PROPERTIES);
        if (userProperties != null && !userProperties.isEmpty()) {
            mqtt.add(new UserProperties(decodeUserProperties(userProperties)));
        }
        addText(mqtt, MqttPropertyType.CONTENT_TYPE, properties.get(CONTENT_TYPE));
        addText(mqtt, MqttPropertyType.RESPONSE_TOPIC, properties.get(RESPONSE_TOPIC));
        byte[] correlation = correlationData(properties.get(CORRELATION_DATA));
        if (correlation != null) {
            mqtt.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), correlation));
        }
        String format = properties.get(PAYLOAD_FORMAT);
        if ("0".equals(format) || "1".equals(format)) {
            mqtt.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), Integer.parseInt(format)));
        }
        return mqtt;
    }

    /** The QoS a stored message was published with; a native RocketMQ message, or an unknown value, counts as QoS 1. */
    public static int qos(Map<String, String> properties) {
        String qos = properties.get(QOS);
        if ("0".equals(qos)) {
            return 0;
        }
        return "2".equals(qos) ? 2 : 1;
    }

    public static boolean retain(Map<String, String> properties) {
        return MqttMessageProperties.retained(properties);
    }

    /** The publishing MQTT client, or null for a message from a RocketMQ producer. */
    public static String clientId(Map<String, String> properties) {
        String clientId = properties.get(CLIENT_ID);
        return clientId == null ? null : PropertyText.unescape(clientId);
    }

    /**
     * Expiry interval in seconds, at most MQTT's 4294967295, or -1 when the message never
     * expires (also when the value is no number or negative).
     */
    public static long expiryIntervalSeconds(Map<String, String> properties) {
        String expiry = properties.get(MESSAGE_EXPIRY_INTERVAL);
        if (expiry == null) {
            return -1;
        }
        try {
            long seconds = Long.parseLong(expiry);
            return seconds < 0 ? -1 : Math.min(seconds, MAX_EXPIRY_SECONDS);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String encodeUserProperties(List<StringPair> pairs) {
        StringBuilder out = new StringBuilder();
        for (StringPair pair : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(PropertyText.escape(pair.key, PAIR_SEPARATORS)).append('=')
                .append(PropertyText.escape(pair.value, PAIR_SEPARATORS));
        }
        return out.toString();
    }

    public static List<StringPair> decodeUserProperties(String encoded) {
        if (encoded.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(encoded.split("&", -1))
            .map(pair -> {
                int equals = pair.indexOf('=');
                return equals < 0 ? new StringPair(PropertyText.unescape(pair), "")
                    : new StringPair(PropertyText.unescape(pair.substring(0, equals)),
                        PropertyText.unescape(pair.substring(equals + 1)));
            })
            .toList();
    }

    /** Null when absent or not Base64. */
    private static byte[] correlationData(String base64) {
        if (base64 == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<StringPair> userProperties(MqttProperties mqtt) {
        MqttProperty<?> property = mqtt.getProperty(MqttPropertyType.USER_PROPERTY.value());
        return property instanceof UserProperties user ? user.value() : List.of();
    }

    private static void putText(Map<String, String> properties, String name, MqttProperty<?> property) {
        if (property instanceof StringProperty text) {
            properties.put(name, PropertyText.escape(text.value(), ""));
        }
    }

    private static void putInteger(Map<String, String> properties, String name, MqttProperty<?> property) {
        if (property instanceof IntegerProperty integer) {
            properties.put(name, Integer.toUnsignedString(integer.value()));
        }
    }

    private static void addText(MqttProperties mqtt, MqttPropertyType type, String escaped) {
        if (escaped != null) {
            mqtt.add(new StringProperty(type.value(), PropertyText.unescape(escaped)));
        }
    }
}
