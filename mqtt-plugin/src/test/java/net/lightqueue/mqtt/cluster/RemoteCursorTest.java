package net.lightqueue.mqtt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.InMemoryLightQueues;
import net.lightqueue.mqtt.ManualScheduler;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.persistence.ProgressRecord;
import net.lightqueue.mqtt.persistence.SessionRecord;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateChanges;
import org.junit.jupiter.api.Test;

/**
 * A session on broker-a reads broker-b's light queue: the subscription reaches b's filter set,
 * the cursor asks b where to start, reads ahead in batches, wakes on b's signals, and b keeps
 * its progress. Two groups in one JVM over {@link LinkedPeers}; no broker.
 */
class RemoteCursorTest {

    private static final String CLIENT = "sensor-1";
    private static final String FILTER = "plant/+/temp";
    private static final SubscriptionOptions QOS1 = new SubscriptionOptions(1, false, false, 0, 0);

    private final MqttSettings settings = SettingsBinder.bind(MqttSettings.class, new Properties());
    private final ManualScheduler timers = new ManualScheduler(0);
    private final LinkedPeers cluster = new LinkedPeers();
    private final PeerNetwork networkA = cluster.group("broker-a");
    private final PeerNetwork networkB = cluster.group("broker-b");
    private final InMemoryLightQueues queuesA = new InMemoryLightQueues();
    private final InMemoryLightQueues queuesB = new InMemoryLightQueues();
    private final SessionStore storeB = new SessionStore(queuesB, queuesB);
    private final ClusterSubscriptions subscriptionsA = new ClusterSubscriptions(queuesA, networkA, settings);
    private final QueueServer serverB = new QueueServer(networkB, queuesB, queuesB, storeB, Runnable::run);
    private final RemoteQueues remoteA = new RemoteQueues(networkA, settings, timers, timers.clock());
    private final FakeSession session = new FakeSession();

    @Test
    void aSubscriptionReachesEveryGroupAndItsCursorReadsThePeersQueueInOrder() {
        queuesB.append(FILTER, "plant/1/temp", "before");
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        assertEquals(List.of(FILTER), queuesB.subscriptionsOf(CLIENT).stream().map(record -> record.filter()).toList(),
            "broker-b indexes its publishes for the subscription made on broker-a");
        queuesB.append(FILTER, "plant/1/temp", "one");
        queuesB.append(FILTER, "plant/2/temp", "two");

        Cursor cursor = openOnB();
        assertEquals(List.of("one", "two"), drain(cursor), "from where the subscription took effect at b");
        assertFalse(cursor.mayHaveMessages(), "at the end");

        queuesB.append(FILTER, "plant/3/temp", "three");
        int wakes = session.wakes.get();
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER));
        assertEquals(wakes + 1, session.wakes.get(), "b's signal wakes the session");
        assertEquals(List.of("three"), drain(cursor));

        long signals = signalsToA();
        queuesB.append(FILTER, "plant/4/temp", "four");
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER));
        queuesB.append(FILTER, "plant/5/temp", "five");
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER));
        assertEquals(signals + 1, signalsToA(), "one signal per read: arrivals before the next read send nothing more");
        assertEquals(List.of("four", "five"), drain(cursor));
    }

    private long signalsToA() {
        return cluster.calls().stream().filter(call -> call.equals("broker-b->broker-a:" + PeerCodes.ARRIVED)).count();
    }

    @Test
    void aSignalThatOvertakesTheEmptyAnswerOfAReadIsNotLost() {
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        cluster.holdAnswers(PeerCodes.READ);
        Cursor cursor = openOnB();
        assertFalse(cursor.mayHaveMessages(), "asks b where to start");
        assertFalse(cursor.mayHaveMessages(), "reads the empty queue; the answer is on its way");
        queuesB.append(FILTER, "plant/1/temp", "first");
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER)); // signalled on the read's arming, before its answer
        cluster.releaseAnswers();

        int wakes = session.wakes.get();
        assertEquals(List.of(), deliveryPass(cursor), "the pass the answer woke finds nothing");
        assertTrue(session.wakes.get() > wakes, "but leaves a wake behind: the signal was not spent in vain");
        assertEquals(List.of("first"), deliveryPass(cursor), "the pass that wake runs takes the message");
    }

    @Test
    void aLateSignalForWhatWasReadAlreadyDoesNotSpendTheArmingOfTheNextRead() {
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        queuesB.append(FILTER, "plant/1/temp", "read");
        Cursor cursor = openOnB();
        assertEquals(List.of("read"), drain(cursor), "read up to the end, then a read that found nothing armed a signal");
        long signals = signalsToA();
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER)); // the dispatcher's signal for 'read', after the reads
        assertEquals(signals, signalsToA(), "nothing new for broker-a");

        queuesB.append(FILTER, "plant/1/temp", "next");
        int wakes = session.wakes.get();
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER));
        assertEquals(signals + 1, signalsToA(), "the arming was still there for the message after");
        assertTrue(session.wakes.get() > wakes);
        assertEquals(List.of("next"), drain(cursor));
    }

    @Test
    void cursorsAtTheSamePositionShareOneRead() {
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        Cursor first = openOnB();
        Cursor second = openOnB();
        drain(first);
        drain(second);
        queuesB.append(FILTER, "plant/1/temp", "for both");
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER));
        cluster.holdAnswers(PeerCodes.READ);
        long reads = readsOfB();
        assertFalse(first.mayHaveMessages());
        assertFalse(second.mayHaveMessages());
        assertEquals(reads + 1, readsOfB(), "one read for the two cursors at the same offset");
        cluster.releaseAnswers();
        assertEquals(List.of("for both"), drain(first));
        assertEquals(List.of("for both"), drain(second));
    }

    private long readsOfB() {
        return cluster.calls().stream().filter(call -> call.equals("broker-a->broker-b:" + PeerCodes.READ)).count();
    }

    @Test
    void thePeerKeepsTheSessionsProgressAndHandsBackItsUnacknowledgedMessages() {
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        queuesB.append(FILTER, "plant/1/temp", "one");
        queuesB.append(FILTER, "plant/1/temp", "two");
        Cursor cursor = openOnB();
        assertEquals(List.of("one", "two"), drain(cursor));
        session.unacknowledged = List.of(new ProgressRecord.Unacknowledged(1, 7, 1, false));
        cursor.settle(1);
        timers.advance(settings.progressIntervalMs());
        ProgressRecord recorded = storeB.progress(CLIENT).get(FILTER);
        assertEquals(2, recorded.sentUpTo());
        assertEquals(session.unacknowledged, recorded.unacknowledged());

        Map<String, PeerMessages.Position> positions = remoteA.positions(CLIENT, List.of(FILTER)).join().get("broker-b");
        PeerMessages.Position position = positions.get(FILTER);
        assertEquals(2, position.nextOffset());
        assertEquals("two", text(position.unacknowledged().get(0).message()), "the message to resend with DUP");
        Cursor resumed = remoteA.open(session, FILTER, QOS1, Map.of("broker-b", positions)).get(0);
        assertEquals("two", text(resumed.messageAt(1)));
        assertEquals(2, resumed.nextOffset());
    }

    @Test
    void unsubscribingRemovesTheSubscriptionAndProgressAtEveryPeer() {
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        Cursor cursor = openOnB();
        drain(cursor);
        cursor.released().join();
        assertTrue(storeB.progress(CLIENT).containsKey(FILTER));

        subscriptionsA.unsubscribeAll(CLIENT).join();
        assertTrue(queuesB.subscriptionsOf(CLIENT).isEmpty());
        assertTrue(storeB.progress(CLIENT).isEmpty(), "no state of the ended session is left at b");
        cursor.released().join();
        assertTrue(storeB.progress(CLIENT).isEmpty(), "a late record does not bring the session back");
    }

    @Test
    void aGroupThatIsDownDoesNotHoldUpSubscribingAndIsReadOnceBack() {
        cluster.down("broker-b", true);
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        assertEquals(1, queuesA.subscriptionsOf(CLIENT).size(), "applied here");
        assertTrue(queuesB.subscriptionsOf(CLIENT).isEmpty(), "missed by b");

        Cursor cursor = openOnB();
        assertFalse(cursor.mayHaveMessages(), "b does not answer");
        cluster.down("broker-b", false);
        SessionStore storeA = new SessionStore(queuesA, queuesA);
        storeA.write(new StateChanges().session(CLIENT, new SessionRecord(5, 60, true, 0, 1))).join();
        new FilterSetSync(networkA, queuesA, storeA, settings, Runnable::run).joined(networkA.peers().iterator().next());
        assertEquals(1, queuesB.subscriptionsOf(CLIENT).size(), "b got the subscription it missed");
        queuesB.append(FILTER, "plant/1/temp", "after");
        timers.advance(1_000); // the retry after the failure
        assertEquals(List.of("after"), drain(cursor));
    }

    @Test
    void whileTheMasterIsAwayTheCursorReadsTheSlaveAndTheMasterGetsTheProgressWhenBack() {
        QueueServer slaveB = slaveOfB();
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        queuesB.append(FILTER, "plant/1/temp", "one");
        Cursor cursor = openOnB();
        assertEquals(List.of("one"), drain(cursor));
        cursor.settle(1);
        timers.advance(settings.progressIntervalMs());
        assertEquals(1, storeB.progress(CLIENT).get(FILTER).sentUpTo(), "recorded at b's master");

        queuesB.append(FILTER, "plant/1/temp", "two"); // replicated to the slave before the master stopped
        cluster.stopped("broker-b", true);
        remoteA.left(masterOfB());
        int callsBefore = cluster.calls().size();
        assertEquals(List.of("two"), drain(cursor), "read at b's slave");
        queuesB.append(FILTER, "plant/1/temp", "three");
        int wakes = session.wakes.get();
        slaveB.arrived(FILTER, queuesB.maxOffset(FILTER));
        assertTrue(session.wakes.get() > wakes, "the slave's signal wakes the session");
        assertEquals(List.of("three"), drain(cursor));
        cursor.settle(2);
        timers.advance(settings.progressIntervalMs());
        assertTrue(cursor.released().isDone(), "a session leaving memory does not wait for the master that is away");
        List<String> whileAway = cluster.calls().subList(callsBefore, cluster.calls().size());
        assertTrue(whileAway.contains("broker-a->broker-b-slave:" + PeerCodes.READ), whileAway.toString());
        assertTrue(whileAway.stream().noneMatch(call -> call.endsWith(":" + PeerCodes.PROGRESS)),
            "a slave cannot write progress, and the master is away: " + whileAway);
        assertEquals(1, storeB.progress(CLIENT).get(FILTER).sentUpTo());

        cluster.stopped("broker-b", false);
        remoteA.joined(masterOfB());
        assertEquals(3, storeB.progress(CLIENT).get(FILTER).sentUpTo(), "the owed progress, at the master once it is back");
        queuesB.append(FILTER, "plant/1/temp", "four");
        int reads = cluster.calls().size();
        assertEquals(List.of("four"), drain(cursor), "and read there again");
        assertTrue(cluster.calls().subList(reads, cluster.calls().size()).contains("broker-a->broker-b:" + PeerCodes.READ));
    }

    @Test
    void aSessionResumedWhileTheMasterIsAwayStartsFromWhatItsBrokerOwesTheMaster() {
        slaveOfB();
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        queuesB.append(FILTER, "plant/1/temp", "one");
        queuesB.append(FILTER, "plant/1/temp", "two");
        Cursor cursor = openOnB();
        assertEquals(List.of("one", "two"), drain(cursor));
        cursor.released().join();
        assertEquals(2, storeB.progress(CLIENT).get(FILTER).sentUpTo(), "recorded at b's master");

        queuesB.append(FILTER, "plant/1/temp", "three");
        queuesB.append(FILTER, "plant/1/temp", "four");
        cluster.stopped("broker-b", true);
        remoteA.left(masterOfB());
        assertEquals(List.of("three", "four"), drain(cursor), "read at b's slave");
        session.unacknowledged = List.of(new ProgressRecord.Unacknowledged(3, 9, 1, false));
        cursor.close(false).join(); // the session leaves: its record is owed to b's master

        PeerMessages.Position position = remoteA.positions(CLIENT, List.of(FILTER)).join().get("broker-b").get(FILTER);
        assertEquals(3, position.nextOffset(),
            "past what the slave holds (2), from the unacknowledged 'four', whose message is not at hand");
        assertEquals(List.of(), position.unacknowledged(), "'four' is delivered again as a new delivery");
    }

    @Test
    void aMasterThatDoesNotAnswerIsReadAroundUntilItAnswersAgain() {
        slaveOfB();
        remoteA.startPolling();
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        Cursor cursor = openOnB();
        drain(cursor);
        cluster.down("broker-b", true); // hung: the name server still lists it
        queuesB.append(FILTER, "plant/1/temp", "hung");
        timers.advance(5_000); // the ends poll finds that the master does not answer
        assertEquals(List.of("hung"), drain(cursor), "read at the slave");
        cursor.settle(1);
        timers.advance(settings.progressIntervalMs());
        assertFalse(storeB.progress(CLIENT).containsKey(FILTER), "owed to the master");

        cluster.down("broker-b", false);
        timers.advance(5_000); // the ends poll asks the master too
        assertEquals(1, storeB.progress(CLIENT).get(FILTER).sentUpTo(), "recorded once the master answers");
        queuesB.append(FILTER, "plant/1/temp", "answering");
        int reads = cluster.calls().size();
        assertEquals(List.of("answering"), drain(cursor));
        assertTrue(cluster.calls().subList(reads, cluster.calls().size()).contains("broker-a->broker-b:" + PeerCodes.READ),
            "read at the master again");
    }

    @Test
    void withSlaveReadsOffTheCursorWaitsForTheMaster() {
        Properties off = new Properties();
        off.setProperty("mqttPeerSlaveReads", "false");
        RemoteQueues remote = new RemoteQueues(networkA, SettingsBinder.bind(MqttSettings.class, off), timers, timers.clock());
        slaveOfB();
        subscriptionsA.subscribe(CLIENT, FILTER, QOS1.encode()).join();
        Cursor cursor = remote.open(session, FILTER, QOS1, Map.of()).get(0);
        drain(cursor);
        queuesB.append(FILTER, "plant/1/temp", "stored");
        serverB.arrived(FILTER, queuesB.maxOffset(FILTER)); // the master's signal, just before it stops
        cluster.stopped("broker-b", true);
        remote.left(masterOfB());
        timers.advance(1_000);
        assertEquals(List.of(), drain(cursor));
        assertEquals(List.of(), remote.open(session, FILTER, QOS1, Map.of()), "a group without a master is not read");
        assertTrue(cluster.calls().stream().noneMatch(call -> call.contains("broker-b-slave")), cluster.calls().toString());

        cluster.stopped("broker-b", false);
        remote.joined(masterOfB());
        timers.advance(1_000);
        assertEquals(List.of("stored"), drain(cursor), "from the master once it is back");
    }

    /** A slave of broker-b in step with its master: it serves the same queues and records (and writes nothing). */
    private QueueServer slaveOfB() {
        return new QueueServer(cluster.slave("broker-b"), queuesB, queuesB, storeB, Runnable::run);
    }

    private static Peer masterOfB() {
        return new Peer("broker-b", "broker-b:10911");
    }

    private Cursor openOnB() {
        List<Cursor> cursors = remoteA.open(session, FILTER, QOS1, Map.of());
        assertEquals(1, cursors.size(), "one cursor per peer");
        assertEquals("broker-b", cursors.get(0).peerName());
        return cursors.get(0);
    }

    /** What one delivery pass takes: reads while the cursor says it may have messages and a read finds some. */
    private static List<String> deliveryPass(Cursor cursor) {
        List<String> texts = new ArrayList<>();
        while (cursor.mayHaveMessages()) {
            long from = cursor.nextOffset();
            ReadResult result = cursor.read(64);
            result.messages().forEach(message -> texts.add(text(message)));
            cursor.advance(result.nextOffset(), result.nextOffset() == from);
            if (result.messages().isEmpty()) {
                break;
            }
        }
        return texts;
    }

    /** Reads everything the cursor can get now, as the deliverer would, waking it as the peer answers. */
    private static List<String> drain(Cursor cursor) {
        List<String> texts = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            if (cursor.mayHaveMessages()) {
                long from = cursor.nextOffset();
                ReadResult result = cursor.read(64);
                result.messages().forEach(message -> texts.add(text(message)));
                cursor.advance(result.nextOffset(), result.nextOffset() == from);
            }
        }
        return texts;
    }

    private static String text(StoredMessage message) {
        return message == null ? null : new String(message.body(), StandardCharsets.UTF_8);
    }

    /** The session side: counts wakes, runs loop tasks at once, reports a fixed set of unacknowledged deliveries. */
    private static final class FakeSession implements RemoteSession {

        final AtomicInteger wakes = new AtomicInteger();
        List<ProgressRecord.Unacknowledged> unacknowledged = List.of();

        @Override
        public String clientId() {
            return CLIENT;
        }

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }

        @Override
        public void onLoop(Runnable task) {
            task.run();
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public void peerJoined(Peer peer) {
        }

        @Override
        public ProgressRecord progressOf(Cursor cursor) {
            return new ProgressRecord(cursor.nextOffset(), unacknowledged);
        }
    }
}
