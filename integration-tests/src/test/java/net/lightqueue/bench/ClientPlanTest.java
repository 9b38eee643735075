package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientPlanTest {

    private static ClientPlan plan(String... args) {
        return ClientPlan.of(BenchOptions.parse(args), "run1");
    }

    private static int[] expected(ClientPlan plan, int subscriber) {
        int[] publishers = plan.expectedPublishers(plan.subscribers().get(subscriber));
        Arrays.sort(publishers);
        return publishers;
    }

    @Test
    void exactSubscribersHearThePublishersOfTheirTopic() {
        ClientPlan plan = plan("--publishers", "4", "--subscribers", "2", "--topics", "2");
        assertEquals(List.of("bench/run1/0"), plan.subscribers().get(0).filters());
        assertArrayEquals(new int[] {0, 2}, expected(plan, 0));
        assertArrayEquals(new int[] {1, 3}, expected(plan, 1));
    }

    @Test
    void wildcardSubscribersHearEveryTopic() {
        ClientPlan plan = plan("--publishers", "3", "--subscribers", "2", "--topics", "3", "--filter", "wildcard");
        assertEquals(List.of("bench/run1/+"), plan.subscribers().get(1).filters());
        assertArrayEquals(new int[] {0, 1, 2}, expected(plan, 1));
    }

    @Test
    void fanInDevicesCanEachHaveAFirstLevelOfTheirOwn() {
        ClientPlan plan = plan("--scenario", "fanin", "--publishers", "3", "--first-level", "own");
        assertEquals(List.of("+/run1"), plan.subscribers().get(0).filters());
        assertArrayEquals(new int[] {0, 1, 2}, expected(plan, 0));
        assertEquals("bench2/run1", plan.clients().get(2).publishTopic());
    }

    @Test
    void p2pPeersPublishToTheNextAndHearThePrevious() {
        ClientPlan plan = plan("--scenario", "p2p", "--clients", "3");
        assertEquals(3, plan.subscribers().size());
        assertEquals(List.of(), plan.publishersOnly());
        assertEquals("bench/run1/1", plan.clients().get(0).publishTopic());
        assertArrayEquals(new int[] {2}, expected(plan, 0));
    }

    @Test
    void connsHasOneTopicPerConnectionAndNoPublisher() {
        ClientPlan plan = plan("--scenario", "conns", "--clients", "3");
        assertEquals(0, plan.publisherCount());
        assertEquals(List.of("bench/run1/2"), plan.subscribers().get(2).filters());
    }

    @Test
    void stormsHaveABystanderPairApartFromTheStormsTopics() {
        BenchOptions options = BenchOptions.parse("--scenario", "storm-wills", "--storm", "10");
        ClientPlan plan = ClientPlan.of(options, "run1");
        assertEquals(1, plan.publisherCount());
        assertArrayEquals(new int[] {0}, expected(plan, 0));
        assertEquals("bench/run1/storm/will/+", plan.stormTopic("will/+"));
        assertFalse(TopicFilter.matches(plan.subscribers().get(0).filters().get(0), plan.stormTopic("will/3")));
        assertEquals(100, options.rate(), "a steady bystander unless --rate says otherwise");
        assertEquals(11, options.stormConnections(), "the clients with wills and their will subscriber");
    }
}
