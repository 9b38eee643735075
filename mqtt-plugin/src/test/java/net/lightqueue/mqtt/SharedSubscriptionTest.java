package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.ack;
import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.publish;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared subscriptions, $share/{group}/{filter} (MQTT 5 section 4.8.2). */
class SharedSubscriptionTest {

    @TempDir
    Path store;

    @Test
    void eachMessageGoesToExactlyOneMemberInTurn_MQTT_4_8_2() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient a = member(broker, "rr-a", "$share/workers/jobs/#");
             RawClient b = member(broker, "rr-b", "$share/workers/jobs/#");
             RawClient c = member(broker, "rr-c", "$share/workers/jobs/#");
             RawClient publisher = publisher(broker, "rr-pub")) {
            for (int i = 0; i < 30; i++) {
                publish(publisher, "jobs/j", "m" + i, i + 1);
            }
            Set<String> all = new HashSet<>();
            for (RawClient member : List.of(a, b, c)) {
                List<String> got = receive(member, 10, true);
                all.addAll(got);
            }
            assertEquals(30, all.size(), "each message once in total, ten to each member");
        }
    }

    @Test
    void stickySendsEverythingToOneMemberAndUnacknowledgedMessagesMoveWhenItLeaves_MQTT_4_8_2() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store, "mqttSharedSubscriptionStrategy=sticky");
             RawClient first = member(broker, "st-a", "$share/g/sticky/t");
             RawClient second = member(broker, "st-b", "$share/g/sticky/t");
             RawClient publisher = publisher(broker, "st-pub")) {
            for (int i = 0; i < 10; i++) {
                publish(publisher, "sticky/t", "m" + i, i + 1);
            }
            assertEquals(expected(0, 10), receive(first, 10, false), "all to the first member, in order");
            first.close(); // gone without acknowledging: the group sends them to the other member
            assertEquals(expected(0, 10), receive(second, 10, true));
            publish(publisher, "sticky/t", "after", 11);
            assertEquals(List.of("after"), receive(second, 1, true));
        }
    }

    @Test
    void unacknowledgedMessagesOfADisconnectedMemberGoToAnother_MQTT_4_8_2() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient leaving = member(broker, "rd-a", "$share/g/redo/t");
             RawClient staying = member(broker, "rd-b", "$share/g/redo/t");
             RawClient publisher = publisher(broker, "rd-pub")) {
            for (int i = 0; i < 4; i++) {
                publish(publisher, "redo/t", "m" + i, i + 1);
            }
            List<String> unacknowledged = receive(leaving, 2, false);
            List<String> acknowledged = receive(staying, 2, true);
            leaving.close();
            List<String> moved = receive(staying, 2, true);
            assertEquals(unacknowledged, moved);
            Set<String> all = new HashSet<>(acknowledged);
            all.addAll(moved);
            assertEquals(Set.copyOf(expected(0, 4)), all);
        }
    }

    @Test
    void theGroupResumesWhereItWasAfterARestart() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient member = new RawClient(broker.port());
             RawClient publisher = publisher(broker, "rs-pub")) {
            connect(member, connectV5("rs-a", false, 3600));
            subscribe(member, "$share/g/restart/t", 0);
            for (int i = 0; i < 3; i++) {
                publish(publisher, "restart/t", "m" + i, i + 1);
            }
            assertEquals(expected(0, 3), receive(member, 3, true));
            member.send(SessionClients.disconnect(0));
            member.awaitClose();
            for (int i = 3; i < 5; i++) {
                publish(publisher, "restart/t", "m" + i, i + 1);
            }
        }
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient member = new RawClient(broker.port());
             RawClient publisher = publisher(broker, "rs-pub")) {
            assertTrue(connect(member, connectV5("rs-a", false, 3600)), "the membership is part of the session");
            // A clean stop recorded the group's cursor: what was acknowledged does not come again.
            publish(publisher, "restart/t", "m5", 1);
            assertEquals(expected(3, 6), receive(member, 3, true));
        }
    }

    /**
     * The server accepts any MQTT string as client id (more than [MQTT-3.1.3-5] requires), so one
     * may look like a share name: its session's subscriptions are its own, and its end leaves the
     * group alone.
     */
    @Test
    void aClientIdThatLooksLikeAShareNameLeavesTheGroupAlone() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient member = member(broker, "ns-a", "$share/g/ns/#");
             RawClient publisher = publisher(broker, "ns-pub")) {
            try (RawClient lookalike = publisher(broker, "$share/g/ns/#")) {
                lookalike.send(SessionClients.disconnect(0));
                lookalike.awaitClose();
            }
            // The next connection with that id is settled after the end of the previous session.
            try (RawClient lookalike = publisher(broker, "$share/g/ns/#")) {
                publish(publisher, "ns/t", "m0", 1);
                assertEquals(expected(0, 1), receive(member, 1, true), "the group still has its subscription");
            }
        }
    }

    @Test
    void invalidShareNamesAreRefusedAndNoLocalIsAProtocolError_MQTT_4_8_2_1_MQTT_4_8_2_2_MQTT_3_8_3_4() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient v5 = new RawClient(broker.port());
             RawClient v3 = new RawClient(broker.port())) {
            connect(v5, connectV5("bad-v5", true, 0));
            v5.send(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g+/t")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/#/t")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share//t")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/ok/+")
                .build());
            assertEquals(List.of(0x8F, 0x8F, 0x8F, 0x8F, 0x8F, 1), reasonCodes(v5));

            connect(v3, RawClient.connect(MqttVersion.MQTT_3_1_1, "bad-v3", true, 60));
            v3.send(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g+/t")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/v3/t")
                .build());
            assertEquals(List.of(0x80, 1), reasonCodes(v3), "3.1.1 clients may share too");

            v5.send(MqttMessageBuilders.subscribe().messageId(2)
                .addSubscription("$share/g/local/t", new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, false,
                    MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))
                .build());
            Packets.assertDisconnect(v5.read(), 0x82);
        }
    }

    private static RawClient member(MqttBroker broker, String clientId, String filter) throws IOException {
        RawClient client = new RawClient(broker.port());
        connect(client, connectV5(clientId, true, 0));
        subscribe(client, filter, 1);
        return client;
    }

    private static RawClient publisher(MqttBroker broker, String clientId) throws IOException {
        RawClient client = new RawClient(broker.port());
        connect(client, connectV5(clientId, true, 0));
        return client;
    }

    private static void subscribe(RawClient client, String filter, int qos) throws IOException {
        client.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.valueOf(qos), filter).build());
        assertEquals(List.of(qos), reasonCodes(client));
    }

    private static List<Integer> reasonCodes(RawClient client) throws IOException {
        MqttSubAckMessage subAck = (MqttSubAckMessage) client.read();
        return subAck.payload().reasonCodes();
    }

    /** Reads {@code count} messages, acknowledging QoS 1 ones when asked. */
    private static List<String> receive(RawClient client, int count, boolean acknowledge) throws IOException {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MqttPublishMessage message = nextPublish(client);
            payloads.add(text(message));
            if (acknowledge && message.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                ack(client, MqttMessageType.PUBACK, message.variableHeader().packetId());
            }
        }
        return payloads;
    }

    private static List<String> expected(int from, int to) {
        List<String> payloads = new ArrayList<>();
        for (int i = from; i < to; i++) {
            payloads.add("m" + i);
        }
        return payloads;
    }
}
