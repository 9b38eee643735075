package net.lightqueue.dispatch.broker;

import static net.lightqueue.dispatch.broker.DispatcherPlugin.PROGRESS;
import static net.lightqueue.dispatch.broker.DispatcherPlugin.SESSIONS;
import static net.lightqueue.dispatch.broker.DispatcherPlugin.SHARED;
import static net.lightqueue.dispatch.broker.DispatcherPlugin.WILLS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.dispatch.StateChange;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.engine.CommitLogApplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateEventsTest {

    @TempDir
    Path storeRoot;

    @Test
    void stateChangesApplyTogetherAndSurviveRestartsAndCrashRecovery() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            LightQueueDispatcher queues = broker.queues();
            long first = queues.writeState(List.of(
                StateChange.put(SESSIONS, utf8("s/c1"), utf8("one")),
                StateChange.put(SESSIONS, utf8("s/c2"), utf8("two")),
                StateChange.put(WILLS, utf8("c1"), utf8("will")))).get(10, TimeUnit.SECONDS);
            assertEquals("one", text(queues.readState(SESSIONS, utf8("s/c1"))));
            long second = queues.writeState(List.of(
                StateChange.delete(WILLS, utf8("c1")),
                StateChange.put(SESSIONS, utf8("s/c1"), utf8("replaced")),
                StateChange.put(PROGRESS, utf8("c1"), new byte[0]))).get(10, TimeUnit.SECONDS);
            assertTrue(second > first, "commitlog offsets of later events are larger");
            assertNull(queues.readState(WILLS, utf8("c1")));
            assertExpectedState(queues);
        }

        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            assertExpectedState(broker.queues());
            broker.queues().writeState(List.of(StateChange.put(SHARED, utf8("g"), utf8("after"))))
                .get(10, TimeUnit.SECONDS);
        }

        // An abnormal stop makes the broker recover and re-dispatch the last file: same state.
        Files.createFile(storeRoot.resolve("abort"));
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertExpectedState(broker.queues());
            assertEquals("after", text(broker.queues().readState(SHARED, utf8("g"))));
        }
    }

    private static void assertExpectedState(LightQueueDispatcher queues) {
        Map<String, String> sessions = new TreeMap<>();
        queues.scanState(SESSIONS, utf8("s/"), (key, value) -> {
            sessions.put(text(key), text(value));
            return true;
        });
        assertEquals(Map.of("s/c1", "replaced", "s/c2", "two"), sessions);
        assertArrayEquals(new byte[0], queues.readState(PROGRESS, utf8("c1")));
        List<String> firstOnly = new ArrayList<>();
        queues.scanState(SESSIONS, new byte[0], (key, value) -> firstOnly.add(text(key)) && false);
        assertEquals(List.of("s/c1"), firstOnly, "the scan stops when the visitor says so");
    }

    @Test
    void unknownFamiliesAndEmptyChangesAreRefused() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            LightQueueDispatcher queues = broker.queues();
            ExecutionException unknown = assertThrows(ExecutionException.class, () -> queues.writeState(
                List.of(StateChange.put("subscriptions", utf8("k"), utf8("v")))).get(10, TimeUnit.SECONDS));
            assertTrue(unknown.getCause().getMessage().contains("unknown state family 'subscriptions'"));
            assertThrows(ExecutionException.class, () -> queues.writeState(List.of()).get(10, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> queues.readState("filters", utf8("k")));
            assertThrows(IllegalArgumentException.class, () -> queues.scanState("retained", new byte[0], (k, v) -> true));
        }
    }

    @Test
    void aFamilyNoLongerDeclaredStaysOnDiskAndANewlyDeclaredOneIsCreated() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().writeState(List.of(StateChange.put(SESSIONS, utf8("c1"), utf8("session")),
                StateChange.put(WILLS, utf8("c1"), utf8("will")))).get(10, TimeUnit.SECONDS);
        }

        DispatcherPlugin.declaredFamilies = Set.of(SESSIONS, "audit");
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            LightQueueDispatcher queues = broker.queues();
            assertEquals("session", text(queues.readState(SESSIONS, utf8("c1"))));
            IllegalArgumentException undeclared = assertThrows(IllegalArgumentException.class,
                () -> queues.readState(WILLS, utf8("c1")));
            assertTrue(undeclared.getMessage().contains("the declared state families are [audit, sessions]"),
                undeclared.getMessage());
            assertThrows(ExecutionException.class, () -> queues.writeState(
                List.of(StateChange.delete(WILLS, utf8("c1")))).get(10, TimeUnit.SECONDS));
            queues.writeState(List.of(StateChange.put("audit", utf8("a"), utf8("new")))).get(10, TimeUnit.SECONDS);
            assertEquals("new", text(queues.readState("audit", utf8("a"))));
        } finally {
            DispatcherPlugin.declaredFamilies = DispatcherPlugin.STATE_FAMILIES;
        }

        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            assertEquals("will", text(broker.queues().readState(WILLS, utf8("c1"))), "kept while undeclared");
            assertEquals("session", text(broker.queues().readState(SESSIONS, utf8("c1"))));
        }
    }

    @Test
    void aStateFamilyCannotTakeTheNameOfOneOfTheDispatchers() {
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
            () -> CommitLogApplier.indexFamilies(Set.of(SESSIONS, "subscriptions")));
        assertTrue(clash.getMessage().contains("'subscriptions'"), clash.getMessage());
    }

    @Test
    void unsubscribeAllReleasesEachFilterOfTheSubscriberOnce() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            LightQueueDispatcher queues = broker.queues();
            queues.subscribe("c1", "a/#", new byte[] {7}).get(10, TimeUnit.SECONDS);
            queues.subscribe("c1", "b", null).get(10, TimeUnit.SECONDS);
            queues.subscribe("c2", "a/#", null).get(10, TimeUnit.SECONDS);
            queues.subscribe("c10", "c", null).get(10, TimeUnit.SECONDS);
            broker.publish("a", "a/x", "m");
            broker.awaitIndexed();
            List<SubscriptionRecord> c1 = queues.subscriptionsOf("c1");
            assertEquals(List.of("a/#", "b"), c1.stream().map(SubscriptionRecord::filter).toList());
            assertArrayEquals(new byte[] {7}, c1.get(0).options());
            assertEquals(0, c1.get(0).startOffset());

            queues.unsubscribeAll("c1").get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), queues.subscriptionsOf("c1"));
            assertEquals(List.of("a/#"), queues.subscriptionsOf("c2").stream().map(SubscriptionRecord::filter).toList());
            assertEquals(1, queues.subscriptionsOf("c10").size(), "a subscriber whose id extends c1 keeps its own");
            assertEquals(2, queues.filterCount(), "a/# is still held by c2, c by c10");
            assertEquals(2, queues.subscriptionCount());

            // Events written back to back likely share a batch: the removal must see the pending subscription.
            CompletableFuture<?> subscribed = queues.subscribe("c3", "d/+", null);
            queues.unsubscribeAll("c3").get(10, TimeUnit.SECONDS);
            subscribed.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), queues.subscriptionsOf("c3"));
            assertEquals(2, queues.filterCount());
            queues.unsubscribeAll("nobody").get(10, TimeUnit.SECONDS);
        }
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            assertEquals(2, broker.queues().filterCount());
            assertEquals(2, broker.queues().subscriptionCount());
            broker.queues().unsubscribeAll("c2").get(10, TimeUnit.SECONDS);
            broker.queues().unsubscribeAll("c10").get(10, TimeUnit.SECONDS);
            assertEquals(0, broker.queues().filterCount());
            assertEquals(0, broker.queues().subscriptionCount());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
