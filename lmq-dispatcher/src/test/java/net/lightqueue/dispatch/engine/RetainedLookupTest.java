package net.lightqueue.dispatch.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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
        Map<String, String> model = new TreeMap<>();
        try (LightQueueIndex index = LightQueueIndex.open(dir, IndexOptions.builder()
            .derivedFamilies(CommitLogApplier.indexFamilies(Set.of())).build())) {
            IndexBatch batch = index.newBatch();
            for (int i = 0; i < 400; i++) {
                String topic = randomTopic(random);
                if (Topics.validateName(topic).isEmpty()) {
                    model.put(topic, "body " + i);
                    batch.put(StateLayout.RETAINED, StateLayout.utf8(topic), RetainedCodec.encode(message(i, "body " + i)));
                }
            }
            index.write(batch);
            RetainedLookup lookup = new RetainedLookup(index);
            for (int i = 0; i < 400; i++) {
                String filter = randomFilter(random);
                List<String> expected = new ArrayList<>();
                model.forEach((topic, body) -> {
                    if (Topics.matches(filter, topic)) {
                        expected.add(topic + "=" + body);
                    }
                });
                List<String> found = lookup.matching(filter).stream()
                    .map(m -> m.mqttTopic() + "=" + new String(m.body(), StandardCharsets.UTF_8)).sorted().toList();
                assertEquals(expected.stream().sorted().toList(), found, filter);
            }
        }
    }

    @Test
    void keepsTheWholeMessage() {
        MessageExt message = message(42, "payload");
        message.putUserProperty("mqttQos", "1");
        StoredMessage decoded = RetainedCodec.decode("a/b", RetainedCodec.encode(message));
        assertEquals("a/b", decoded.mqttTopic());
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), decoded.body());
        assertEquals("1", decoded.properties().get("mqttQos"));
        assertEquals(1_000_042, decoded.storeTimestamp());
        assertEquals(42, decoded.commitLogOffset());
        assertEquals(-1, decoded.queueOffset());
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
