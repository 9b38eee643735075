package net.lightqueue.mqtt.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import java.util.List;
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
}
