package net.lightqueue.dispatch.topic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.topic.TopicValidator;

/**
 * The RocketMQ topic of an MQTT topic: its first level, encoded into RocketMQ's topic alphabet
 * ({@code [%|a-zA-Z0-9_-]}, at most 127 characters).
 *
 * <ul>
 * <li>{@code a-z A-Z 0-9 _ - |} stay as they are; every other character, {@code %} included,
 * becomes {@code %XX} per byte of its UTF-8 form (upper-case hex): {@code sensor.v2} becomes
 * {@code sensor%2Ev2}, {@code $aws} becomes {@code %24aws}. A first level that already is a
 * RocketMQ topic name without {@code %} keeps its name ({@code home/kitchen} is in {@code home}).
 * <li>The empty first level ({@code /TopicA}) becomes {@code %2F}: the encoding of "/", which
 * no first level contains, so it collides with nothing.
 * <li>An encoding longer than 127 characters is cut to its first {@value #HASHED_PREFIX}
 * characters (never inside an escape), followed by {@code %2F} and the first 32 hex digits of
 * the SHA-256 of the first level. {@code %2F} inside a name occurs in no other encoding, so
 * such a name meets no short one; two long first levels share a name only if they share the
 * prefix and 128 bits of SHA-256: for n long first levels with the same prefix, a probability
 * below n&sup2;/2<sup>129</sup>.
 * </ul>
 *
 * <p>So the mapping is injective, and reversible except for the hashed names:
 * {@link #firstLevelOf} gives the first level back for every name {@link #of} can produce
 * without a hash, and nothing for any other RocketMQ topic.
 *
 * <p>Why {@code %}: the only other characters a RocketMQ topic may hold are letters, digits,
 * {@code _}, {@code -} and {@code |}; escaping with one of them would rename today's topics that
 * contain it. {@code %} is RocketMQ's namespace separator, but the broker, its ACL 2.0 resources
 * and clients without a namespace take a topic name as it is; a client with a namespace
 * prefixes {@code ns%} and strips everything up to the first {@code %}, which leaves the
 * escapes intact. Only its trace hooks record the name after the first {@code %}. An escape
 * never starts a name with {@code %RETRY%}, {@code %DLQ%}, {@code %LMQ%} or {@code %SYS%}: what
 * follows the {@code %} of an escape is two hex digits.
 *
 * <p>Names RocketMQ reserves for itself ({@link #isReserved}) are never chosen by the mapping
 * except from a first level that spells them (such as {@code rmq_sys_x} or
 * {@code SCHEDULE_TOPIC_XXXX}, or {@code rmq_sys_.x}, which starts the same): publishing under
 * such a first level is refused, not renamed.
 */
public final class RocketTopicNames {

    /** RocketMQ's longest topic name ({@code TopicValidator.TOPIC_MAX_LENGTH}, private there). */
    public static final int MAX_LENGTH = 127;
    /** The RocketMQ topic of the empty first level, and the marker before a hash. */
    public static final String EMPTY_LEVEL = "%2F";
    static final int HASH_DIGITS = 32;
    static final int HASHED_PREFIX = MAX_LENGTH - EMPTY_LEVEL.length() - HASH_DIGITS;

    private static final char ESCAPE = '%';
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private RocketTopicNames() {
    }

    /** The RocketMQ topic of an MQTT topic name (by its first level). */
    public static String ofTopic(String mqttTopic) {
        return of(Topics.firstLevel(mqttTopic));
    }

    /** The RocketMQ topic of one first level (no '/'). */
    public static String of(String firstLevel) {
        if (firstLevel.isEmpty()) {
            return EMPTY_LEVEL;
        }
        String encoded = encode(firstLevel);
        if (encoded.length() <= MAX_LENGTH) {
            return encoded;
        }
        int cut = HASHED_PREFIX;
        // Never end the prefix inside an escape: a cut '%X' would read differently.
        if (encoded.charAt(cut - 1) == ESCAPE) {
            cut -= 1;
        } else if (encoded.charAt(cut - 2) == ESCAPE) {
            cut -= 2;
        }
        return encoded.substring(0, cut) + EMPTY_LEVEL + HEX.formatHex(sha256(firstLevel), 0, HASH_DIGITS / 2);
    }

    /**
     * The first level whose RocketMQ topic is {@code rocketmqTopic}, or empty if no first level
     * maps to it without a hash (a hashed name, or a name with a '%' that is no escape of ours).
     */
    public static Optional<String> firstLevelOf(String rocketmqTopic) {
        if (rocketmqTopic.equals(EMPTY_LEVEL)) {
            return Optional.of("");
        }
        if (rocketmqTopic.indexOf(ESCAPE) < 0) {
            return Optional.of(rocketmqTopic);
        }
        byte[] bytes = new byte[rocketmqTopic.length()];
        int length = 0;
        for (int i = 0; i < rocketmqTopic.length(); i++) {
            char c = rocketmqTopic.charAt(i);
            if (c != ESCAPE) {
                bytes[length++] = (byte) c;
            } else if (i + 2 < rocketmqTopic.length() && isHexDigit(rocketmqTopic.charAt(i + 1))
                && isHexDigit(rocketmqTopic.charAt(i + 2))) {
                bytes[length++] = (byte) HexFormat.fromHexDigits(rocketmqTopic, i + 1, i + 3);
                i += 2;
            } else {
                return Optional.empty();
            }
        }
        String decoded = new String(bytes, 0, length, StandardCharsets.UTF_8);
        // Only our own encoding counts: upper-case escapes of exactly the escaped characters, valid UTF-8.
        return decoded.indexOf(Topics.LEVEL_SEPARATOR) < 0 && encode(decoded).equals(rocketmqTopic)
            ? Optional.of(decoded) : Optional.empty();
    }

    /**
     * Whether RocketMQ reserves the name for itself: its system topics and the topics clients
     * may not send to ({@link TopicValidator}), the {@code rmq_sys_} and {@code RMQ_SYS_}
     * prefixes, retry, dead-letter and light message queue topics. The broker's cluster and
     * broker names are reserved too, but known only at runtime.
     */
    public static boolean isReserved(String rocketmqTopic) {
        return TopicValidator.isSystemTopic(rocketmqTopic) || TopicValidator.isNotAllowedSendTopic(rocketmqTopic)
            || rocketmqTopic.startsWith("RMQ_SYS_")
            || rocketmqTopic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX)
            || rocketmqTopic.startsWith(MixAll.DLQ_GROUP_TOPIC_PREFIX)
            || rocketmqTopic.startsWith(MixAll.LMQ_PREFIX);
    }

    private static String encode(String firstLevel) {
        StringBuilder out = null;
        for (int i = 0; i < firstLevel.length(); i++) {
            char c = firstLevel.charAt(i);
            if (keeps(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(firstLevel.length() + 16).append(firstLevel, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < firstLevel.length() ? i + 2 : i + 1;
            for (byte b : firstLevel.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append(ESCAPE).append(HEX.toHighHexDigit(b)).append(HEX.toLowHexDigit(b));
            }
            i = end - 1;
        }
        return out == null ? firstLevel : out.toString();
    }

    private static boolean keeps(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '|';
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }

    private static byte[] sha256(String firstLevel) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(firstLevel.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
