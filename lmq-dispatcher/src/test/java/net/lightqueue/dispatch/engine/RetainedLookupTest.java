package net.lightqueue.dispatch.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.index.IndexBatch;
import net.lightqueue.index.IndexOptions;
import net.lightqueue.index.LightQueueIndex;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedLookupTest {

    private static final String[] LEVELS = {"a", "b", "", "$SYS", "ab", "a+", "ü"};

    @TempDir
    Path dir;

    @Test
    void findsExactlyWhatABruteForceMatchFinds() {
        Random random = new Random(11);
        // topic -> "body i at t" of its retained message, or "cleared at t"
        Map<String, String> model = new TreeMap<>();
        try (LightQueueIndex index = LightQueueIndex.open(dir, IndexOptions.builder()
            .derivedFamilies(CommitLogApplier.indexFamilies(Set.of())).build())) {
            IndexBatch batch = index.newBatch();
            for (int i = 0; i < 400; i++) {
                String topic = randomTopic(random);
                if (Topics.validateName(topic).isEmpty()) {
                    MessageExt message = message(i, "body " + i);
                    boolean cleared = random.nextInt(4) == 0;
                    model.put(topic, (cleared ? "cleared" : "body " + i) + " at " + message.getStoreTimestamp());
                    batch.put(StateLayout.RETAINED, StateLayout.utf8(topic), cleared
                        ? RetainedCodec.encodeCleared(message.getStoreTimestamp(), i) : RetainedCodec.encode(message));
                }
            }
            index.write(batch);
            RetainedLookup lookup = new RetainedLookup(index);
            for (int i = 0; i < 400; i++) {
                String filter = randomFilter(random);
                List<String> expected = new ArrayList<>();
                model.forEach((topic, version) -> {
                    if (Topics.matches(filter, topic)) {
                        expected.add(topic + "=" + version);
                    }
                });
                List<String> versions = lookup.versions(filter).stream().map(v -> v.topic() + "="
                    + (v.cleared() ? "cleared" : new String(v.message().body(), StandardCharsets.UTF_8))
                    + " at " + v.storeTimestamp()).toList();
                assertEquals(expected, versions, filter);
                List<String> messages = lookup.matching(filter).stream().map(m -> m.mqttTopic() + "="
                    + new String(m.body(), StandardCharsets.UTF_8) + " at " + m.storeTimestamp()).toList();
                assertEquals(expected.stream().filter(v -> !v.contains("=cleared")).toList(), messages, filter);
            }
        }
    }

    @Test
    void keepsTheWholeMessage() {
        MessageExt message = message(42, "payload");
        message.putUserProperty("mqttQos", "1");
        RetainedVersion version = RetainedCodec.decode("a/b", RetainedCodec.encode(message));
        assertEquals(1_000_042, version.storeTimestamp());
        StoredMessage decoded = version.message();
        assertEquals("a/b", decoded.mqttTopic());
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), decoded.body());
        assertEquals("1", decoded.properties().get("mqttQos"));
        assertEquals(1_000_042, decoded.storeTimestamp());
        assertEquals(42, decoded.commitLogOffset());
        assertEquals(-1, decoded.queueOffset());
    }

    @Test
    void keepsWhenATopicWasCleared() {
        RetainedVersion version = RetainedCodec.decode("a/b", RetainedCodec.encodeCleared(1_000_042, 42));
        assertEquals(new RetainedVersion("a/b", 1_000_042, null), version);
        assertTrue(version.cleared());
    }

    @Test
    void aRetainedMessageWrittenBeforeClearedTopicsWereKeptStillDecodes() {
        byte[] properties = "mqttRetain\u0001true\u0002mqttQos\u00011\u0002".getBytes(StandardCharsets.UTF_8);
        byte[] body = "21.5".getBytes(StandardCharsets.UTF_8);
        // format 1: format:u8 storeTimestamp:i64 commitLogOffset:i64 properties:(i32 length + bytes) body:rest
        byte[] stored = ByteBuffer.allocate(1 + 8 + 8 + 4 + properties.length + body.length)
            .put((byte) 1).putLong(1_700_000_000_000L).putLong(4096).putInt(properties.length).put(properties).put(body)
            .array();
        RetainedVersion version = RetainedCodec.decode("a/b", stored);
        assertEquals(1_700_000_000_000L, version.storeTimestamp());
        StoredMessage message = version.message();
        assertEquals("a/b", message.mqttTopic());
        assertArrayEquals(body, message.body());
        assertEquals(Map.of("mqttRetain", "true", "mqttQos", "1"), message.properties());
        assertEquals(1_700_000_000_000L, message.storeTimestamp());
        assertEquals(4096, message.commitLogOffset());
        assertEquals(-1, message.queueOffset());
    }

    private static MessageExt message(long offset, String body) {
        MessageExt message = new MessageExt();
        message.setBody(body.getBytes(StandardCharsets.UTF_8));
        message.setStoreTimestamp(1_000_000 + offset);
        message.setCommitLogOffset(offset);
        message.putUserProperty("mqttRetain", "true");
        return message;
    }

    private static String randomTopic(Random random) {
        StringBuilder topic = new StringBuilder(LEVELS[random.nextInt(LEVELS.length)]);
        for (int i = random.nextInt(4); i > 0; i--) {
            topic.append('/').append(LEVELS[random.nextInt(LEVELS.length - 1)]);
        }
        return topic.toString();
    }

    private static String randomFilter(Random random) {
        String[] levels = Topics.levels(randomTopic(random).replace("+", ""));
        for (int i = 0; i < levels.length; i++) {
            if (random.nextInt(3) == 0) {
                levels[i] = "+";
            }
        }
        String filter = String.join("/", levels);
        return random.nextInt(3) == 0 ? filter + "/#" : random.nextInt(8) == 0 ? "#" : filter;
    }
}
