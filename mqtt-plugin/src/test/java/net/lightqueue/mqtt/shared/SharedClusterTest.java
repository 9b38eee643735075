package net.lightqueue.mqtt.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.mqtt.InMemoryLightQueues;
import net.lightqueue.mqtt.ManualScheduler;
import net.lightqueue.mqtt.MqttSettings;
import net.lightqueue.mqtt.cluster.ClusterSubscriptions;
import net.lightqueue.mqtt.cluster.LinkedPeers;
import net.lightqueue.mqtt.cluster.QueueServer;
import net.lightqueue.mqtt.delivery.ArrivalRouter;
import net.lightqueue.mqtt.delivery.Cursor;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.persistence.SessionStore;
import org.junit.jupiter.api.Test;

/**
 * A shared subscription's group spans the broker groups of a cluster: each group assigns the
 * messages of its own queue, to its local members and to proxies of the members connected
 * elsewhere. Two groups in one JVM over {@link LinkedPeers}; no broker.
 */
class SharedClusterTest {

    private static final ShareName SHARE = ShareName.parse("$share/g/sensors/#");
    private static final SubscriptionOptions QOS_1 = new SubscriptionOptions(1, false, false, 0, 0);

    private final MqttSettings settings = SettingsBinder.bind(MqttSettings.class, new Properties());
    private final ManualScheduler timers = new ManualScheduler(0);
    private final LinkedPeers cluster = new LinkedPeers();
    private final Broker brokerA = new Broker("broker-a");
    private final Broker brokerB = new Broker("broker-b");

    /** One broker group: its queues, its filter set and its shared groups, serving the cluster. */
    private final class Broker {
        final String name;
        final InMemoryLightQueues queues = new InMemoryLightQueues();
        final ArrivalRouter router = new ArrivalRouter();
        final SharedGroups groups;
        int published;

        Broker(String name) {
            this.name = name;
            PeerNetwork network = cluster.group(name);
            ClusterSubscriptions subscriptions = new ClusterSubscriptions(queues, network, settings);
            new QueueServer(network, queues, queues, new SessionStore(queues, queues), Runnable::run);
            groups = new SharedGroups(settings, queues, subscriptions, new SessionStore(queues, subscriptions), router,
                timers);
            groups.serveCluster(network, timers.clock());
        }

        void publish(int count) {
            for (int i = 0; i < count; i++) {
                queues.append(SHARE.filter(), "sensors/" + name, name + "#" + published++);
            }
            router.arrived(SHARE.filter(), queues.maxOffset(SHARE.filter()));
            timers.runReady(); // the proxies' ready signals
        }
    }

    /** A member's session: its membership's cursors (local first, then one per peer) and its inflight window. */
    private final class Member {
        final Inflight inflight = new Inflight(new DeliveryMetrics());
        final AtomicInteger wakes = new AtomicInteger();
        final List<Cursor> cursors = new ArrayList<>();
        final List<String> received = new ArrayList<>();
        int nextPacketId = 1;

        Member(Broker broker, String clientId, int window) {
            var subscribed = broker.groups.subscribe(clientId, SHARE, QOS_1.encode());
            timers.runReady(); // the group's steps run in order on the timers
            subscribed.join();
            cursors.add(broker.groups.join(SHARE, QOS_1, inflight, wakes::incrementAndGet));
            cursors.addAll(broker.groups.joinPeers(SHARE, clientId, QOS_1, inflight, wakes::incrementAndGet));
            cursors.forEach(cursor -> cursor.receiveMaximum(window));
            deliver(); // joins at the peers
        }

        /** A delivery pass, as the deliverer makes it: every message read goes out at QoS 1 and awaits PUBACK. */
        List<String> deliver() {
            List<String> delivered = new ArrayList<>();
            boolean progressed = true;
            while (progressed) {
                progressed = false;
                for (Cursor cursor : cursors) {
                    if (!cursor.mayHaveMessages()) {
                        continue;
                    }
                    ReadResult result = cursor.read(100);
                    for (StoredMessage message : result.messages()) {
                        inflight.restore(nextPacketId++, cursor, message.queueOffset(), message, 1, false, 0, false);
                        delivered.add(new String(message.body(), StandardCharsets.UTF_8));
                    }
                    cursor.advance(result.nextOffset(), result.messages().isEmpty());
                    if (!result.messages().isEmpty()) {
                        cursor.settle(0);
                        progressed = true;
                    }
                }
            }
            received.addAll(delivered);
            return delivered;
        }

        /** The client acknowledges everything it got. */
        void pubAckAll() {
            cursors.forEach(cursor -> {
                int unacknowledged = inflight.unacknowledgedOffsets(cursor).size();
                inflight.dropUnacknowledged(cursor);
                cursor.settle(unacknowledged);
            });
        }
    }

    @Test
    void aMessageStoredWhereNoMemberIsConnectedReachesTheMemberOnAnotherBrokerOnce() {
        Member onA = new Member(brokerA, "reader-a", 10);
        assertEquals(1, brokerB.queues.subscriptionsOf(SharedGroups.subscriberId(SHARE)).size(),
            "the group's subscription is cluster-wide: b indexes its publishes for the group");

        int wakes = onA.wakes.get();
        brokerB.publish(1);
        assertTrue(onA.wakes.get() > wakes, "b's ready signal wakes the member's session on a");
        assertEquals(List.of("broker-b#0"), onA.deliver());
        onA.pubAckAll();
        assertEquals(List.of(), onA.deliver(), "delivered once");
        brokerB.publish(2);
        assertEquals(List.of("broker-b#1", "broker-b#2"), onA.deliver());
    }

    @Test
    void withMembersOnBothBrokersEachMessageGoesToExactlyOneOfThem() {
        Member onA = new Member(brokerA, "reader-a", 5);
        Member onB = new Member(brokerB, "reader-b", 5);
        for (int round = 0; round < 4; round++) {
            brokerA.publish(5);
            brokerB.publish(5);
            onA.deliver();
            onB.deliver();
            onA.pubAckAll();
            onB.pubAckAll();
            onA.deliver();
            onB.deliver();
            onA.pubAckAll();
            onB.pubAckAll();
        }
        List<String> all = new ArrayList<>(onA.received);
        all.addAll(onB.received);
        Set<String> distinct = new HashSet<>(all);
        assertEquals(all.size(), distinct.size(), "no message twice: " + all);
        assertEquals(40, distinct.size(), "every message once: " + all);
        assertTrue(onA.received.stream().anyMatch(text -> text.startsWith("broker-b")), "a's member got some of b's");
        assertTrue(onB.received.stream().anyMatch(text -> text.startsWith("broker-a")), "b's member got some of a's");
    }

    @Test
    void whatALeavingRemoteMemberDidNotAcknowledgeGoesToAnotherMember() {
        Member onA = new Member(brokerA, "reader-a", 10);
        Member onB = new Member(brokerB, "reader-b", 10);
        brokerB.publish(4);
        List<String> heldByA = onA.deliver();
        assertFalse(heldByA.isEmpty(), "round robin gave the member on a some of b's messages");
        List<String> heldByB = onB.deliver();
        onB.pubAckAll();

        onA.cursors.forEach(cursor -> cursor.close(false));
        assertEquals(heldByA, onB.deliver(), "what a left unacknowledged goes to b's member");
        assertEquals(4, heldByA.size() + heldByB.size());
    }

    @Test
    void aProxyWhoseBrokerDiedLeavesItsGroupAndItsMessagesGoToTheOthers() {
        Member onA = new Member(brokerA, "reader-a", 10);
        Member onB = new Member(brokerB, "reader-b", 10);
        brokerB.publish(4);
        List<String> heldByA = onA.deliver();
        assertFalse(heldByA.isEmpty());
        onB.deliver();
        onB.pubAckAll();

        cluster.down("broker-a", true); // a died with the messages its member held
        timers.advance(ProxyMembers.EXPIRY_MILLIS - RemoteShares.ALIVE_PERIOD_MILLIS);
        assertEquals(List.of(), onB.deliver(), "not before the proxy expired");
        timers.advance(2 * RemoteShares.ALIVE_PERIOD_MILLIS);
        assertEquals(heldByA, onB.deliver(), "the expired proxy's messages go to the member on b");
    }

    @Test
    void theGroupsSubscriptionStaysWhileAnyBrokerHoldsAMember() {
        new Member(brokerA, "reader-a", 10);
        new Member(brokerB, "reader-b", 10);
        String group = SharedGroups.subscriberId(SHARE);

        var unsubscribed = brokerA.groups.unsubscribe("reader-a", SHARE);
        timers.runReady();
        unsubscribed.join();
        assertEquals(1, brokerA.queues.subscriptionsOf(group).size(), "b still holds a member: a keeps indexing for it");
        assertEquals(1, brokerB.queues.subscriptionsOf(group).size());

        unsubscribed = brokerB.groups.unsubscribe("reader-b", SHARE);
        timers.runReady();
        unsubscribed.join();
        assertTrue(brokerA.queues.subscriptionsOf(group).isEmpty(), "the last member anywhere removes it everywhere");
        assertTrue(brokerB.queues.subscriptionsOf(group).isEmpty());
    }

    @Test
    void aBrokerThatMissedTheGroupsSubscriptionGetsItWhenAMemberJoinsThere() {
        cluster.down("broker-b", true);
        Member onA = new Member(brokerA, "reader-a", 10);
        assertTrue(brokerB.queues.subscriptionsOf(SharedGroups.subscriberId(SHARE)).isEmpty(), "b was down");

        cluster.down("broker-b", false);
        timers.advance(1_000); // the member's retry after the failed join
        onA.deliver();
        assertEquals(1, brokerB.queues.subscriptionsOf(SharedGroups.subscriberId(SHARE)).size());
        brokerB.publish(1);
        assertEquals(List.of("broker-b#0"), onA.deliver());
    }

    @Test
    void aLiveMembersKeepAliveHoldsItsProxyWhileItTakesNothing() {
        Member onA = new Member(brokerA, "reader-a", 10);
        Member onB = new Member(brokerB, "reader-b", 10);
        brokerB.publish(2);
        List<String> heldByA = onA.deliver();
        assertFalse(heldByA.isEmpty());
        onB.deliver();

        timers.advance(4 * ProxyMembers.EXPIRY_MILLIS);
        assertEquals(List.of(), onB.deliver(), "a's member keeps what it holds while a is alive");
        onA.pubAckAll();
        brokerB.publish(2);
        assertEquals(2, onA.deliver().size() + onB.deliver().size());
    }
}
