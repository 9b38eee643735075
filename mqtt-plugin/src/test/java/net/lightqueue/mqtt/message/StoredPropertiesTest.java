package net.lightqueue.mqtt.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.MqttMessageProperties;
import org.junit.jupiter.api.Test;

class StoredPropertiesTest {

    @Test
    void userPropertiesKeepOrderDuplicatesAndSeparators() {
        List<StringPair> pairs = List.of(new StringPair("k", "1"), new StringPair("k", "2"),
            new StringPair("a=b&c", "100%"), new StringPair("", ""), new StringPair("ctl\u0001\u0002", "ü"));
        String encoded = StoredProperties.encodeUserProperties(pairs);
        assertEquals("k=1&k=2&a%3db%26c=100%25&=&ctl%01%02=ü", encoded);
        assertEquals(pairs, StoredProperties.decodeUserProperties(encoded));
    }

    @Test
    void textEscapingOnlyTouchesRocketmqSeparatorsAndPercent() {
        assertEquals("application/json", PropertyText.escape("application/json", ""));
        assertEquals("a%01b%02c%25", PropertyText.escape("a\u0001b\u0002c%", ""));
        assertEquals("a\u0001b\u0002c%", PropertyText.unescape("a%01b%02c%25"));
    }

    @Test
    void valuesSetByHandAreReadLeniently() {
        assertEquals(1, StoredProperties.qos(Map.of(MqttMessageProperties.QOS, "high")), "unknown QoS: that of a native message");
        assertEquals(1, StoredProperties.qos(Map.of(MqttMessageProperties.QOS, "3")));
        assertEquals(2, StoredProperties.qos(Map.of(MqttMessageProperties.QOS, "2")));
        assertEquals(-1, StoredProperties.expiryIntervalSeconds(Map.of(MqttMessageProperties.MESSAGE_EXPIRY_INTERVAL, "soon")));
        assertEquals(-1, StoredProperties.expiryIntervalSeconds(Map.of(MqttMessageProperties.MESSAGE_EXPIRY_INTERVAL, "-5")));
        assertEquals(0xFFFFFFFFL,
            StoredProperties.expiryIntervalSeconds(Map.of(MqttMessageProperties.MESSAGE_EXPIRY_INTERVAL, "99999999999")));
        assertEquals("100% sure %zz %4", PropertyText.unescape("100% sure %zz %4"));
        assertEquals(List.of(new StringPair("flag", ""), new StringPair("k", "v%")),
            StoredProperties.decodeUserProperties("flag&k=v%"));

        MqttProperties mqtt = StoredProperties.toMqtt(Map.of(MqttMessageProperties.CORRELATION_DATA, "not base64!",
            MqttMessageProperties.PAYLOAD_FORMAT, "7", MqttMessageProperties.USER_PROPERTIES, ""));
        assertTrue(mqtt.isEmpty(), "unreadable values are left out: " + mqtt.listAll());
    }
}
