package net.lightqueue.mqtt.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the session state families ({@link StateFamilies}). MQTT strings never contain U+0000
 * [MQTT-1.5.4-2] (the server refuses client ids, filters and share names that do), so
 * {@code clientId 0x00 filter} is unambiguous and a prefix scan on {@code clientId 0x00} lists one
 * session's records in the {@link StateFamilies#PROGRESS} family: its progress per filter, and
 * {@code clientId 0x00 0x00 packetId} (a filter is never empty) for each QoS 2 publish received
 * from the client and not yet released.
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

    /** The prefix of a session's received QoS 2 packet ids in the {@link StateFamilies#PROGRESS} family. */
    static byte[] receivedPrefix(String clientId) {
        byte[] prefix = progressPrefix(clientId);
        return Arrays.copyOf(prefix, prefix.length + 1);
    }

    static boolean isReceived(byte[] key, int progressPrefixLength) {
        return key.length > progressPrefixLength && key[progressPrefixLength] == 0;
    }

    static byte[] received(String clientId, int packetId) {
        byte[] prefix = receivedPrefix(clientId);
        byte[] key = Arrays.copyOf(prefix, prefix.length + 2);
        key[prefix.length] = (byte) (packetId >>> 8);
        key[prefix.length + 1] = (byte) packetId;
        return key;
    }

    static int receivedPacketId(byte[] key) {
        return (key[key.length - 2] & 0xFF) << 8 | key[key.length - 1] & 0xFF;
    }

    /** A group's cursor in the {@link StateFamilies#SHARED} family. */
    static byte[] groupCursor(String shareName) {
        return concat("c", shareName);
    }

    /** A member's shared subscription, found by its client: {@code s clientId 0x00 shareName}. */
    static byte[] membership(String clientId, String shareName) {
        return concat("s", clientId + '\u0000' + shareName);
    }

    static byte[] membershipPrefix(String clientId) {
        return concat("s", clientId + '\u0000');
    }

    /** The same membership, found by its group: {@code g shareName 0x00 clientId}. */
    static byte[] member(String shareName, String clientId) {
        return concat("g", shareName + '\u0000' + clientId);
    }

    static byte[] memberPrefix(String shareName) {
        return concat("g", shareName + '\u0000');
    }

    private static byte[] concat(String kind, String text) {
        return (kind + text).getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] key, int from) {
        return new String(key, from, key.length - from, StandardCharsets.UTF_8);
    }
}
