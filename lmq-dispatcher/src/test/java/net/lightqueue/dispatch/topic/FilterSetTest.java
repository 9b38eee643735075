package net.lightqueue.dispatch.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FilterSetTest {

    private static final String[] WORDS = {"a", "b", "c", "", "$x", "$SYS"};

    private final Random random = new Random(42);

    @Test
    void matchesLikeTheReferenceModelUnderRandomChanges() {
        FilterSet set = new FilterSet();
        Map<String, Integer> model = new HashMap<>();
        for (int round = 0; round < 3_000; round++) {
            String filter = randomFilter();
            if (random.nextInt(3) > 0) {
                assertEquals(model.merge(filter, 1, Integer::sum), set.retain(filter));
            } else {
                Integer count = model.get(filter);
                int expected = count == null ? 0 : count - 1;
                if (count != null) {
                    if (expected == 0) {
                        model.remove(filter);
                    } else {
                        model.put(filter, expected);
                    }
                }
                assertEquals(expected, set.release(filter));
            }
            for (int i = 0; i < 5; i++) {
                String topic = randomTopic();
                assertEquals(reference(model.keySet(), topic), matches(set, topic), "topic " + topic + " with " + model);
            }
        }
        assertEquals(model.size(), set.size());
    }

    @Test
    void everyMatchIsReportedOnce() {
        FilterSet set = new FilterSet();
        for (String filter : List.of("#", "a/#", "a/+", "+/+", "a/b", "+/#", "a/b/#", "+/b")) {
            set.retain(filter);
            set.retain(filter);
        }
        List<String> out = new ArrayList<>();
        set.match("a/b", out);
        assertEquals(List.of("a/b", "#", "+/#", "+/+", "+/b", "a/#", "a/+", "a/b/#").size(), out.size());
        assertEquals(new TreeSet<>(List.of("a/b", "#", "+/#", "+/+", "+/b", "a/#", "a/+", "a/b/#")), new TreeSet<>(out));
    }

    @Test
    void releasingTheLastReferenceRemovesTheFilter() {
        FilterSet set = new FilterSet();
        set.retain("a/+/c");
        set.retain("a/+/c");
        set.retain("a/#");
        assertEquals(1, set.release("a/+/c"));
        assertEquals(Set.of("a/+/c", "a/#"), matches(set, "a/b/c"));
        assertEquals(0, set.release("a/+/c"));
        assertEquals(Set.of("a/#"), matches(set, "a/b/c"));
        assertEquals(0, set.release("a/#"));
        assertEquals(0, set.release("never/added"));
        assertEquals(0, set.size());
        assertEquals(0, set.wildcardCount());
        assertEquals(Set.of(), matches(set, "a/b/c"));
    }

    private static Set<String> matches(FilterSet set, String topic) {
        List<String> out = new ArrayList<>();
        set.match(topic, out);
        Set<String> unique = new TreeSet<>(out);
        assertEquals(unique.size(), out.size(), "duplicates in " + out);
        return unique;
    }

    private static Set<String> reference(Set<String> filters, String topic) {
        Set<String> expected = new TreeSet<>();
        for (String filter : filters) {
            if (Topics.matches(filter, topic)) {
                expected.add(filter);
            }
        }
        return expected;
    }

    private String randomTopic() {
        int levels = 1 + random.nextInt(4);
        StringBuilder topic = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            topic.append(i == 0 ? "" : "/").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return topic.isEmpty() ? "a" : topic.toString();
    }

    private String randomFilter() {
        int levels = 1 + random.nextInt(4);
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            filter.append(i == 0 ? "" : "/");
            int pick = random.nextInt(WORDS.length + 2);
            if (pick == WORDS.length) {
                filter.append('+');
            } else if (pick == WORDS.length + 1) {
                return filter.append('#').toString();
            } else {
                filter.append(WORDS[pick]);
            }
        }
        return filter.isEmpty() ? "a" : filter.toString();
    }
}
