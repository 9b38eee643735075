package net.lightqueue.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MQTT packets for the fuzz test, as bytes: well-formed ones of every type and version, built by
 * hand so that any field can be wrong, and mutations of them (corrupt bodies, reserved flags,
 * remaining lengths that are huge, non-minimal, 5 bytes long or wrong, random v5 properties,
 * strings that are not UTF-8). Everything comes from one seeded random, so a seed replays a run.
 */
final class FuzzPackets {

    static final int CONNECT = 1;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int UNSUBSCRIBE = 10;
    static final int PINGREQ = 12;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    /** The largest remaining length a variable byte integer holds: 4 bytes [MQTT-1.5.5-1]. */
    static final int MAX_REMAINING_LENGTH = 268_435_455;

    private static final String[] TOPICS = {"fuzz/a", "fuzz/b/c", "fuzz", "fuzz/", "fuzz//x", "fuzz/ü/€", "$SYS/x",
        "fuzz/+", "fuzz/#", "#", "+/a", "", "/", "no such topic/a", "nosuchtopic", "fuzz/a#", "fuzz/" + "x".repeat(1100)};
    private static final String[] FILTERS = {"fuzz/a", "fuzz/#", "fuzz/+/c", "#", "+", "$SYS/#", "fuzz/a/#/b", "fuzz/a+",
        "", "$share/g/fuzz/a", "$share/g/#", "$share//fuzz", "$share/g+/x", "$share/g", "nosuchtopic/#",
        "fuzz/" + "y".repeat(1100)};
    /** Not UTF-8, or UTF-8 of characters MQTT forbids in strings [MQTT-1.5.4-1, MQTT-1.5.4-2]. */
    private static final byte[][] BAD_UTF8 = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {0x00},
        {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}};
    private static final int[] EDGE_SHORTS = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF};
    /** Property identifiers MQTT 5 does not define. */
    private static final int[] UNDEFINED_PROPERTY_IDS = {0x00, 0x04, 0x10, 0x14, 0x20, 0x2B, 0x7F, 0x80, 0xFF};

    private final SplittableRandom random;

    FuzzPackets(SplittableRandom random) {
        this.random = random;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    /** A protocol level: 3 (MQTT 3.1), 4 (3.1.1) or 5. */
    int version() {
        return 3 + random.nextInt(3);
    }

    // ---- well-formed packets ----

    byte[] connect(int version, String clientId) {
        Bytes body = new Bytes();
        body.string(version == 3 ? "MQIsdp" : "MQTT").u8(version).u8(0x02).u16(60);
        if (version == 5) {
            body.properties(chance(2) ? new byte[0] : new Props().u16(0x22, 10).userProperty("k", "v").toArray());
        }
        body.string(clientId);
        return frame(CONNECT << 4, body.toArray());
    }

    /** A CONNECT with a will, user name and password, and (v5) properties, for the fuzzed packets. */
    byte[] richConnect(int version, String clientId) {
        Bytes body = new Bytes();
        int willQos = random.nextInt(3);
        int flags = 0x02 | 0x04 | willQos << 3 | (chance(2) ? 0x20 : 0) | 0x80 | 0x40;
        body.string(version == 3 ? "MQIsdp" : "MQTT").u8(version).u8(flags).u16(random.nextInt(0x10000));
        if (version == 5) {
            body.properties(connectProperties());
        }
        body.string(clientId);
        if (version == 5) {
            body.properties(publishProperties());
        }
        body.string(topic()).binary(payload());
        body.string("user").binary(payload());
        return frame(CONNECT << 4, body.toArray());
    }

    byte[] publish(int version, String topic, int qos, int packetId, boolean retain, byte[] payload) {
        return publish(version, topic, qos, packetId, retain, payload, new byte[0]);
    }

    /** @param properties a v5 property section (ignored for v3) */
    byte[] publish(int version, String topic, int qos, int packetId, boolean retain, byte[] payload, byte[] properties) {
        Bytes body = new Bytes().string(topic);
        if (qos > 0) {
            body.u16(packetId);
        }
        if (version == 5) {
            body.properties(properties);
        }
        body.raw(payload);
        return frame(PUBLISH << 4 | qos << 1 | (retain ? 1 : 0), body.toArray());
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP; v5 ones sometimes with a reason code and properties. */
    byte[] pubReply(int version, int type, int packetId) {
        Bytes body = new Bytes().u16(packetId);
        if (version == 5 && chance(2)) {
            body.u8(chance(2) ? 0 : random.nextInt(256));
            if (chance(2)) {
                body.properties(new Props().string(0x1F, "reason").userProperty("k", "v").toArray());
            }
        }
        return frame(type << 4 | (type == PUBREL ? 0x02 : 0), body.toArray());
    }

    byte[] subscribe(int version, int packetId, String filter, int options) {
        Bytes body = new Bytes().u16(packetId);
        if (version == 5) {
            body.properties(chance(2) ? new byte[0] : new Props().varInt(0x0B, 1 + random.nextInt(MAX_REMAINING_LENGTH))
                .userProperty("k", "v").toArray());
        }
        body.string(filter).u8(options);
        return frame(SUBSCRIBE << 4 | 0x02, body.toArray());
    }

    byte[] unsubscribe(int version, int packetId, String filter) {
        Bytes body = new Bytes().u16(packetId);
        if (version == 5) {
            body.properties(new byte[0]);
        }
        return frame(UNSUBSCRIBE << 4 | 0x02, body.string(filter).toArray());
    }

    static byte[] pingReq() {
        return new byte[] {(byte) 0xC0, 0x00};
    }

    byte[] disconnect(int version) {
        if (version < 5 || chance(3)) {
            return new byte[] {(byte) 0xE0, 0x00};
        }
        Bytes body = new Bytes().u8(chance(2) ? 0 : random.nextInt(256));
        if (chance(2)) {
            body.properties(new Props().int32(0x11, random.nextInt()).toArray());
        }
        return frame(DISCONNECT << 4, body.toArray());
    }

    /** Any packet a client could send at this point, of any type (server-only and reserved types included). */
    byte[] anyPacket(int version, int packetIdHint) {
        int packetId = chance(3) ? packetIdHint : random.nextInt(0x10000);
        return switch (random.nextInt(16)) {
            case 0 -> frame(random.nextInt(2) == 0 ? 0x00 : 0xF0, randomBytes(random.nextInt(8))); // reserved / AUTH
            case 1 -> chance(2) ? connect(version(), "fuzz-" + random.nextInt(4)) : richConnect(version(), "fuzz-r");
            case 2 -> frame(0x20, new byte[] {0, 0}); // CONNACK, a server's packet
            case 3, 4, 5 -> publish(version, topic(), random.nextInt(3), packetId, chance(4), payload(),
                chance(2) ? new byte[0] : publishProperties());
            case 6 -> pubReply(version, PUBACK, packetId);
            case 7 -> pubReply(version, PUBREC, packetId);
            case 8 -> pubReply(version, PUBREL, packetId);
            case 9 -> pubReply(version, PUBCOMP, packetId);
            case 10 -> subscribe(version, packetId, filter(), random.nextInt(4) | random.nextInt(4) << 4
                | (chance(3) ? 0x04 : 0) | (chance(3) ? 0x08 : 0) | (chance(8) ? 0xC0 : 0));
            case 11 -> unsubscribe(version, packetId, filter());
            case 12 -> frame(0x90, new Bytes().u16(packetId).u8(0).toArray()); // SUBACK, a server's packet
            case 13 -> chance(2) ? pingReq() : frame(0xD0, new byte[0]); // PINGREQ or PINGRESP
            case 14 -> disconnect(version);
            default -> frame(AUTH << 4, new Bytes().u8(0x18).properties(new Props().string(0x15, "SCRAM").toArray()).toArray());
        };
    }

    // ---- broken packets ----

    /** The packet, broken in one of the ways a buggy or hostile client breaks packets (or unchanged). */
    byte[] mutate(byte[] packet, int version) {
        int first = packet[0] & 0xFF;
        byte[] body = body(packet);
        return switch (random.nextInt(14)) {
            case 0 -> packet;
            case 1 -> frame(first, flipBytes(body));
            case 2 -> frame(first, Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length)));
            case 3 -> frame(first, concat(body, randomBytes(1 + random.nextInt(16))));
            case 4 -> frame(first, putEdgeShort(body));
            // Reserved flags set [MQTT-2.1.3-1]; for PUBLISH both QoS bits [MQTT-3.3.1-4].
            case 5 -> frame(first >> 4 == PUBLISH ? first | 0x06 : first ^ (1 + random.nextInt(15)), body);
            case 6 -> concat(new byte[] {(byte) first}, nonMinimalVarInt(body.length), body);
            case 7 -> concat(new byte[] {(byte) first}, varInt(MAX_REMAINING_LENGTH), body);
            case 8 -> concat(new byte[] {(byte) first}, malformedVarInt(), body);
            case 9 -> concat(new byte[] {(byte) first}, varInt(Math.max(0, body.length + random.nextInt(9) - 4)), body);
            case 10 -> randomBytes(1 + random.nextInt(64));
            case 11 -> frame(random.nextInt(256), body);
            case 12 -> version == 5 ? v5WithRandomProperties() : frame(first, flipBytes(body));
            default -> badUtf8Packet(version);
        };
    }

    /** A v5 packet whose property section is random bytes or holds an undefined property id. */
    byte[] v5WithRandomProperties() {
        byte[] properties = chance(2) ? randomBytes(random.nextInt(24))
            : concat(new byte[] {(byte) UNDEFINED_PROPERTY_IDS[random.nextInt(UNDEFINED_PROPERTY_IDS.length)]},
                randomBytes(random.nextInt(6)));
        Bytes body = new Bytes();
        int type = switch (random.nextInt(5)) {
            case 0 -> {
                body.string("fuzz/p").u16(1 + random.nextInt(10)).properties(properties).raw(payload());
                yield PUBLISH << 4 | 0x02;
            }
            case 1 -> {
                body.u16(1 + random.nextInt(10)).properties(properties).string("fuzz/#").u8(1);
                yield SUBSCRIBE << 4 | 0x02;
            }
            case 2 -> {
                body.u8(0).properties(properties);
                yield DISCONNECT << 4;
            }
            case 3 -> {
                body.u16(1 + random.nextInt(10)).u8(0).properties(properties);
                yield PUBACK << 4;
            }
            default -> {
                body.string("MQTT").u8(5).u8(0x02).u16(60).properties(properties).string("fuzz-props");
                yield CONNECT << 4;
            }
        };
        return frame(type, body.toArray());
    }

    /** A PUBLISH, SUBSCRIBE or CONNECT whose topic, filter or client id is not valid UTF-8. */
    byte[] badUtf8Packet(int version) {
        byte[] bad = concat("fuzz/".getBytes(StandardCharsets.UTF_8), BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
        return switch (random.nextInt(3)) {
            case 0 -> {
                Bytes body = new Bytes().binary(bad).u16(1);
                if (version == 5) {
                    body.properties(new byte[0]);
                }
                yield frame(PUBLISH << 4 | 0x02, body.raw(payload()).toArray());
            }
            case 1 -> {
                Bytes body = new Bytes().u16(1);
                if (version == 5) {
                    body.properties(new byte[0]);
                }
                yield frame(SUBSCRIBE << 4 | 0x02, body.binary(bad).u8(1).toArray());
            }
            default -> {
                Bytes body = new Bytes().string("MQTT").u8(4).u8(0x02).u16(60).binary(bad);
                yield frame(CONNECT << 4, body.toArray());
            }
        };
    }

    // ---- parts ----

    String topic() {
        return TOPICS[random.nextInt(TOPICS.length)];
    }

    String filter() {
        return FILTERS[random.nextInt(FILTERS.length)];
    }

    byte[] payload() {
        return randomBytes(chance(4) ? 0 : random.nextInt(48));
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] connectProperties() {
        Props props = new Props();
        if (chance(2)) {
            props.int32(0x11, chance(2) ? 0 : random.nextInt()); // session expiry
        }
        if (chance(3)) {
            props.u16(0x21, random.nextInt(0x10000)); // receive maximum (0 is a protocol error)
        }
        if (chance(3)) {
            props.int32(0x27, random.nextInt()); // maximum packet size (0 is a protocol error)
        }
        if (chance(3)) {
            props.u16(0x22, random.nextInt(0x10000)); // topic alias maximum
        }
        if (chance(4)) {
            props.userProperty("k", "v");
        }
        return props.toArray();
    }

    private byte[] publishProperties() {
        Props props = new Props();
        if (chance(2)) {
            props.u16(0x23, random.nextInt(24)); // topic alias, 0 and beyond the maximum included
        }
        if (chance(3)) {
            props.int32(0x02, random.nextInt()); // message expiry
        }
        if (chance(4)) {
            props.u8(0x01, random.nextInt(3)); // payload format indicator
        }
        if (chance(4)) {
            props.string(0x03, "text/plain").string(0x08, "fuzz/reply").binary(0x09, payload());
        }
        if (chance(6)) {
            props.varInt(0x0B, 1 + random.nextInt(100)); // a subscription identifier, not allowed from a client
        }
        if (chance(3)) {
            props.userProperty("k", "v").userProperty("k", "w");
        }
        return props.toArray();
    }

    private byte[] flipBytes(byte[] body) {
        byte[] flipped = body.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && flipped.length > 0; i++) {
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return flipped;
    }

    private byte[] putEdgeShort(byte[] body) {
        if (body.length < 2) {
            return body;
        }
        byte[] changed = body.clone();
        int at = random.nextInt(body.length - 1);
        int value = EDGE_SHORTS[random.nextInt(EDGE_SHORTS.length)];
        changed[at] = (byte) (value >> 8);
        changed[at + 1] = (byte) value;
        return changed;
    }

    private byte[] malformedVarInt() {
        return random.nextInt(2) == 0 ? new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}
            : new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    }

    /** The same value in more bytes than needed, at most 4. */
    private byte[] nonMinimalVarInt(int value) {
        byte[] minimal = varInt(value);
        int extra = 1 + random.nextInt(Math.max(1, 4 - minimal.length));
        if (minimal.length + extra > 4) {
            return minimal;
        }
        byte[] padded = Arrays.copyOf(minimal, minimal.length + extra);
        padded[minimal.length - 1] |= (byte) 0x80;
        for (int i = minimal.length; i < padded.length - 1; i++) {
            padded[i] = (byte) 0x80;
        }
        padded[padded.length - 1] = 0;
        return padded;
    }

    static byte[] frame(int firstByte, byte[] body) {
        return concat(new byte[] {(byte) firstByte}, varInt(body.length), body);
    }

    static byte[] varInt(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    /** The body of a well-formed packet (what follows its remaining length). */
    static byte[] body(byte[] packet) {
        int at = 1;
        while ((packet[at] & 0x80) != 0) {
            at++;
        }
        return Arrays.copyOfRange(packet, at + 1, packet.length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A packet body under construction, with MQTT's field encodings. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int value) {
            out.write(value);
            return this;
        }

        Bytes u16(int value) {
            out.write(value >> 8);
            out.write(value);
            return this;
        }

        Bytes string(String text) {
            return binary(text.getBytes(StandardCharsets.UTF_8));
        }

        Bytes binary(byte[] bytes) {
            u16(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Bytes properties(byte[] properties) {
            out.writeBytes(varInt(properties.length));
            out.writeBytes(properties);
            return this;
        }

        Bytes raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    /** An MQTT 5 property section under construction. */
    static final class Props {
        private final Bytes bytes = new Bytes();

        Props u8(int id, int value) {
            bytes.u8(id).u8(value);
            return this;
        }

        Props u16(int id, int value) {
            bytes.u8(id).u16(value);
            return this;
        }

        Props int32(int id, int value) {
            bytes.u8(id).u16(value >>> 16).u16(value & 0xFFFF);
            return this;
        }

        Props varInt(int id, int value) {
            bytes.u8(id).raw(FuzzPackets.varInt(value));
            return this;
        }

        Props string(int id, String value) {
            bytes.u8(id).string(value);
            return this;
        }

        Props binary(int id, byte[] value) {
            bytes.u8(id).binary(value);
            return this;
        }

        Props userProperty(String key, String value) {
            bytes.u8(0x26).string(key).string(value);
            return this;
        }

        byte[] toArray() {
            return bytes.toArray();
        }
    }
}
