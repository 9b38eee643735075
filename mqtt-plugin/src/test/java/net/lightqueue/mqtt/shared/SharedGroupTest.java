package net.lightqueue.mqtt.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.mqtt.InMemoryLightQueues;
import net.lightqueue.mqtt.ManualScheduler;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.delivery.ArrivalRouter;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.persistence.GroupCursorRecord;
import net.lightqueue.mqtt.persistence.SessionStore;
import org.junit.jupiter.api.Test;

/** How a shared subscription's group spreads its queue over its members, without a broker. */
class SharedGroupTest {

    private static final ShareName SHARE = ShareName.parse("$share/g/sensors/#");
    private static final SubscriptionOptions QOS_1 = new SubscriptionOptions(1, false, false, 0, 0);

    private final InMemoryLightQueues queues = new InMemoryLightQueues();
    private final SessionStore store = new SessionStore(queues, queues);
    private final ArrivalRouter router = new ArrivalRouter();
    private final ManualScheduler timers = new ManualScheduler(0);

    /** A member as its session sees it: its cursor, its inflight window and how often it was woken. */
    private final class Member {
        final Inflight inflight = new Inflight(new DeliveryMetrics());
        final AtomicInteger wakes = new AtomicInteger();
        final Cursor cursor;
        int nextPacketId = 1;

        Member(SharedGroups groups, int window) {
            cursor = groups.join(SHARE, QOS_1, inflight, wakes::incrementAndGet);
            cursor.receiveMaximum(window);
        }

        /** Reads what the group assigned, as the deliverer does, and returns the queue offsets. */
        List<Long> read() {
            return offsets(cursor.read(100).messages());
        }

        /** The deliverer sent the message at QoS 1 or 2 and waits for the client's answer. */
        void sent(long offset) {
            inflight.restore(nextPacketId++, cursor, offset, queues.read(SHARE.filter(), offset, 1).messages().get(0),
                1, false, 0, false);
        }

        /** The client answered a QoS 2 delivery with PUBREC: the delivery stays only for its PUBREL. */
        void pubrec(long offset) {
            inflight.restore(nextPacketId++, cursor, offset, null, 2, false, 0, true);
            cursor.released();
        }

        SharedGroup group() {
            return ((SharedCursor) cursor).group;
        }
    }

    @Test
    void roundRobinGivesEachMessageToOneMemberInTurnAmongThoseWithRoom() {
        SharedGroups groups = groups(ShareStrategy.ROUND_ROBIN);
        Member a = new Member(groups, 10);
        Member b = new Member(groups, 1);
        Member c = new Member(groups, 10);
        publish(5);

        assertEquals(List.of(0L, 3L), a.read());
        assertEquals(List.of(1L), b.read(), "b has room for one: it is skipped once full");
        assertEquals(List.of(2L, 4L), c.read());
        assertEquals(List.of(), a.read(), "nothing is assigned twice");
        assertEquals(List.of(), b.read());
    }

    @Test
    void stickyGivesEverythingToTheLongestStandingMember() {
        SharedGroups groups = groups(ShareStrategy.STICKY);
        Member first = new Member(groups, 3);
        Member second = new Member(groups, 10);
        publish(5);

        assertEquals(List.of(), second.read(), "the later member gets nothing while the first stays");
        assertEquals(List.of(0L, 1L, 2L), first.read());
        assertEquals(List.of(), second.read(), "not even when the first one's window is full");
    }

    @Test
    void aMembersWindowBoundsWhatIsAssignedToIt() {
        SharedGroups groups = groups(ShareStrategy.ROUND_ROBIN);
        Member member = new Member(groups, 3);
        publish(6);

        assertEquals(List.of(0L, 1L, 2L), member.read());
        member.sent(0);
        member.sent(1); // 2 went out at QoS 0: complete once sent
        member.cursor.settle(1);
        assertEquals(List.of(3L), member.read(), "one completion makes room for one message");
        member.sent(3);
        member.cursor.settle(0);
        assertEquals(List.of(), member.read());
        assertFalse(member.cursor.mayHaveMessages(), "the window is full with 0, 1 and 3 unacknowledged");
    }

    @Test
    void aLeavingMembersUnacknowledgedMessagesGoToAnotherButAPubrecdOneDoesNot() {
        SharedGroups groups = groups(ShareStrategy.ROUND_ROBIN);
        Member leaving = new Member(groups, 10);
        Member staying = new Member(groups, 10);
        publish(4);

        assertEquals(List.of(0L, 2L), leaving.read());
        leaving.sent(2);
        leaving.pubrec(0);
        assertEquals(List.of(1L, 3L), staying.read());
        leaving.cursor.close(false);
        timers.runReady();

        assertEquals(List.of(2L), staying.read(), "only the unacknowledged one is delivered again");
        assertEquals(1, leaving.inflight.inOrder().size(), "the PUBREC'd delivery stays for its PUBREL");
        assertTrue(leaving.inflight.inOrder().iterator().next().released());
    }

    @Test
    void theCursorListsOutstandingOffsetsSoNothingIsLostOnRestart() {
        SharedGroups groups = groups(ShareStrategy.ROUND_ROBIN);
        Member a = new Member(groups, 1);
        Member b = new Member(groups, 2);
        publish(5);
        assertEquals(List.of(0L), a.read());
        a.sent(0);
        b.cursor.settle(0);
        assertEquals(new GroupCursorRecord(3, List.of(0L, 1L, 2L)), a.group().snapshot(),
            "0 is unacknowledged, 1 and 2 are assigned to b and not yet read");

        b.cursor.close(false);
        a.cursor.close(false);
        timers.runReady();
        assertEquals(new GroupCursorRecord(3, List.of(0L, 1L, 2L)), store.groupCursor(SHARE.name()),
            "the last member's leaving records the cursor");

        Member afterRestart = new Member(groups(ShareStrategy.ROUND_ROBIN), 10);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), afterRestart.read());
    }

    @Test
    void arrivalsWakeEveryMemberAndAnAssignmentWakesItsMember() {
        SharedGroups groups = groups(ShareStrategy.ROUND_ROBIN);
        Member a = new Member(groups, 10);
        Member b = new Member(groups, 10);
        publish(2);
        assertEquals(1, a.wakes.get());
        assertEquals(1, b.wakes.get());

        assertEquals(List.of(0L), a.read());
        assertEquals(1, a.wakes.get(), "the reading member delivers its own in the pass it is in");
        assertEquals(2, b.wakes.get(), "b is woken for the message assigned to it");
        assertTrue(b.cursor.mayHaveMessages());
        assertEquals(List.of(1L), b.read());
    }

    private SharedGroups groups(ShareStrategy strategy) {
        Properties properties = new Properties();
        properties.setProperty("mqttSharedSubscriptionStrategy", strategy.toString());
        MqttSettings settings = SettingsBinder.bind(MqttSettings.class, properties);
        return new SharedGroups(settings, queues, queues, store, router, timers);
    }

    /** Messages arrive in the group's queue and the dispatcher signals it. */
    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            queues.append(SHARE.filter(), "sensors/" + i, "m" + i);
        }
        router.arrived(SHARE.filter(), queues.maxOffset(SHARE.filter()));
    }

    private static List<Long> offsets(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::queueOffset).toList();
    }
}
