package net.lightqueue.mqtt.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.mqtt.persistence.StateFamilies;
import net.lightqueue.dispatch.topic.Topics;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.mqtt.InMemoryLightQueues;
import net.lightqueue.mqtt.ManualScheduler;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.cluster.NoPeers;
import net.lightqueue.mqtt.cluster.RemoteQueues;
import net.lightqueue.mqtt.cluster.SessionClaims;
import net.lightqueue.mqtt.delivery.ArrivalRouter;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.SharedPayloads;
import net.lightqueue.mqtt.delivery.QueueCursors;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.persistence.SessionRecord;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateChanges;
import net.lightqueue.mqtt.persistence.WillRecord;
import net.lightqueue.mqtt.publish.RecordingWriter;
import net.lightqueue.mqtt.publish.RocketTopics;
import net.lightqueue.mqtt.shared.SharedGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Will delays and session expiry of a disconnected session, on a clock the test moves. */
class SessionTimersTest {

    private static final String CLIENT = "meter-7";
    private static final long START = 1_700_000_000_000L;

    private final ManualScheduler timers = new ManualScheduler(START);
    private final InMemoryLightQueues queues = new InMemoryLightQueues();
    private final SessionStore store = new SessionStore(queues, queues);
    private final RecordingWriter writer = new RecordingWriter();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SessionLifecycle lifecycle = lifecycle();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void theWillIsPublishedAfterItsDelay() {
        Session session = open(300, will(30));
        lifecycle.closed(session, Ending.ABNORMAL);
        runSteps();
        assertEquals(List.of(), writer.writes(), "a delayed will waits");

        timers.advance(29_999);
        assertEquals(List.of(), writer.writes());
        timers.advance(1);
        assertEquals(1, writer.writes().size());
        assertEquals("status/meter-7", writer.write(0).mqttTopic());
        assertEquals("gone", writer.write(0).payload());
        assertNotNull(store.will(CLIENT), "the will stays recorded until it is stored");

        writer.write(0).succeed();
        runSteps();
        assertNull(store.will(CLIENT));
        assertFalse(store.session(CLIENT).connected(), "the session waits for its client until it expires");
        timers.advance(600_000);
        assertEquals(1, writer.writes().size(), "the will is published once");
    }

    @Test
    void theWillIsPublishedWhenTheSessionExpiresBeforeItsDelay() {
        Session session = open(10, will(60));
        lifecycle.closed(session, Ending.ABNORMAL);
        runSteps();

        timers.advance(9_999);
        assertEquals(List.of(), writer.writes());
        timers.advance(1);
        assertEquals(1, writer.writes().size(), "the will goes at the end of the session [MQTT-3.1.3-9]");
        assertNotNull(store.session(CLIENT), "the session ends after its will was stored");

        writer.write(0).succeed();
        runSteps();
        assertNull(store.session(CLIENT));
        assertNull(store.will(CLIENT));
        timers.advance(600_000);
        assertEquals(1, writer.writes().size(), "the will's own timer finds nothing left to publish");
    }

    @Test
    void aSessionExpiresAfterItsIntervalAndItsStateIsDiscarded() {
        Session session = open(60, null);
        queues.subscribe(CLIENT, "meters/#", new byte[] {1});
        store.write(new StateChanges().receivedQos2(CLIENT, 5, true));
        lifecycle.closed(session, Ending.ABNORMAL);
        runSteps();
        assertEquals(1, lifecycle.sessionCount());

        timers.advance(59_999);
        assertNotNull(store.session(CLIENT));
        assertEquals(1, store.subscriptions(CLIENT).size());
        timers.advance(1);

        assertNull(store.session(CLIENT));
        assertEquals(List.of(), store.subscriptions(CLIENT));
        assertEquals(0, queues.stateCount(StateFamilies.SESSIONS));
        assertEquals(0, queues.stateCount(StateFamilies.PROGRESS), "received QoS 2 packet ids go with the session");
        assertEquals(0, lifecycle.sessionCount());
        assertEquals(List.of(), writer.writes());
    }

    @Test
    void aReconnectCancelsTheWillAndTheExpiry() {
        Session session = open(60, will(30));
        lifecycle.closed(session, Ending.ABNORMAL);
        runSteps();
        timers.advance(20_000);

        SessionLifecycle.Opened reopened = openNow(new SessionRequest(CLIENT, 5, false, 60, null));
        assertTrue(reopened.sessionPresent());
        timers.advance(600_000);

        assertEquals(List.of(), writer.writes(), "the returning client cancels the will");
        SessionRecord record = store.session(CLIENT);
        assertNotNull(record, "the returning client cancels the expiry");
        assertTrue(record.connected());
        assertEquals(2, record.epoch());
    }

    @Test
    void aSessionConnectedWhenTheBrokerStoppedIsTreatedAsDisconnectedAtRecovery() {
        store.write(new StateChanges().session(CLIENT, new SessionRecord(5, 60, true, 0, 3)).will(CLIENT, will(30)));
        timers.advance(5_000);

        lifecycle.recover();
        runSteps();
        assertEquals(1, lifecycle.sessionCount());
        assertFalse(store.session(CLIENT).connected());
        assertEquals(START + 5_000, store.session(CLIENT).disconnectedAt());

        timers.advance(29_999);
        assertEquals(List.of(), writer.writes());
        timers.advance(1);
        assertEquals(1, writer.writes().size(), "the will waits its delay from the recovery");
        writer.write(0).succeed();
        timers.advance(30_000);
        assertNull(store.session(CLIENT), "expired 60 s after the recovery");
    }

    private SessionLifecycle lifecycle() {
        MqttSettings settings = SettingsBinder.bind(MqttSettings.class, new Properties());
        ArrivalRouter router = new ArrivalRouter();
        SessionServices services = new SessionServices(settings, new QueueCursors(queues, router),
            new RemoteQueues(new NoPeers(), settings, timers, timers.clock()), new SessionClaims(new NoPeers(), settings), store,
            new SharedGroups(settings, queues, queues, store, router, timers), timers, timers.clock(),
            new UndeliverableMessages(), new DeliveryMetrics(), new SharedPayloads());
        RocketTopics firstLevels = mqttTopic -> RocketTopics.Target.of(Topics.firstLevel(mqttTopic), 0);
        return new SessionLifecycle(services, new WillPublisher(firstLevels, writer, new InetSocketAddress("127.0.0.1", 10911)));
    }

    private static WillRecord will(long delaySeconds) {
        return new WillRecord("status/" + CLIENT, "gone".getBytes(StandardCharsets.UTF_8), Map.of(), delaySeconds);
    }

    private Session open(long expirySeconds, WillRecord will) {
        SessionLifecycle.Opened opened = openNow(new SessionRequest(CLIENT, 5, true, expirySeconds, will));
        assertFalse(opened.sessionPresent());
        return opened.session();
    }

    /** Opens on the connection's event loop, as a CONNECT does, after the client's earlier steps. */
    private SessionLifecycle.Opened openNow(SessionRequest request) {
        CompletableFuture<SessionLifecycle.Opened> opened = lifecycle.open(channel.eventLoop(), request, null);
        runSteps();
        assertTrue(opened.isDone());
        return opened.join();
    }

    /** Runs what is due now on the session timers and on the connection's event loop. */
    private void runSteps() {
        for (int round = 0; round < 3; round++) {
            timers.runReady();
            channel.runPendingTasks();
        }
    }
}
