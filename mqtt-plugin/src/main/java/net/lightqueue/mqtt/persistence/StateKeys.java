package net.lightqueue.mqtt.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the session state families. MQTT strings never contain U+0000 [MQTT-1.5.4-2], so
 * {@code clientId 0x00 filter} is unambiguous and a prefix scan on {@code clientId 0x00}
 * lists one session's progress records.
 */
final class StateKeys {

    private StateKeys() {
    }

    static byte[] client(String clientId) {
        return clientId.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] progressPrefix(String clientId) {
        byte[] id = client(clientId);
        return Arrays.copyOf(id, id.length + 1);
    }

    static byte[] progress(String clientId, String filter) {
        byte[] prefix = progressPrefix(clientId);
        byte[] name = filter.getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(prefix, prefix.length + name.length);
        System.arraycopy(name, 0, key, prefix.length, name.length);
        return key;
    }

    static String text(byte[] key, int from) {
        return new String(key, from, key.length - from, StandardCharsets.UTF_8);
    }
}
