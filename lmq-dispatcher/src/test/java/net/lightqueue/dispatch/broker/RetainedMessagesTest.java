package net.lightqueue.dispatch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.PublicationTopic;
import net.lightqueue.dispatch.StoredMessage;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedMessagesTest {

    @TempDir
    Path storeRoot;

    @Test
    void aRetainedMessageIsSetReplacedAndDeletedPerTopic() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            long first = retain(broker, "home", "home/kitchen", "21");
            retain(broker, "home", "home/hall", "19");
            broker.publish("home", "home/garage", "not retained");
            broker.awaitIndexed();
            LightQueueDispatcher queues = broker.queues();
            assertEquals(List.of("home/hall=19", "home/kitchen=21"), texts(queues.retained("home/#")));
            assertEquals(first, queues.retained("home/kitchen").get(0).commitLogOffset());
            assertEquals(2, queues.retainedCount());

            retain(broker, "home", "home/kitchen", "22");
            retain(broker, "home", "home/hall", "");
            retain(broker, "home", "home/cellar", ""); // deleting what is not there changes nothing
            broker.awaitIndexed();
            assertEquals(List.of("home/kitchen=22"), texts(queues.retained("home/+")));
            assertEquals(1, queues.retainedCount());
            assertEquals("true", queues.retained("home/kitchen").get(0).properties().get(MqttMessageProperties.RETAIN));
            assertThrows(IllegalArgumentException.class, () -> queues.retained("home/#/x"));
        }
        // Abnormal stop: the broker re-dispatches the last file; applying it again changes nothing.
        Files.createFile(storeRoot.resolve("abort"));
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.awaitIndexed();
            assertEquals(List.of("home/kitchen=22"), texts(broker.queues().retained("#")));
            assertEquals(1, broker.queues().retainedCount());
        }
    }

    @Test
    void anEmptyRetainedPublishDeletesTheRetainedMessageAndIsStillDelivered_MQTT_3_3_1_10() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            broker.queues().subscribe("c", "home/#", null).get(10, TimeUnit.SECONDS);
            retain(broker, "home", "home/kitchen", "21");
            retain(broker, "home", "home/kitchen", "");
            broker.publish("home", "home/kitchen", "");
            broker.awaitIndexed();
            assertEquals(List.of(), broker.queues().retained("home/#"), "[MQTT-3.3.1-10]");
            assertEquals(0, broker.queues().retainedCount());
            // Subscribers get the empty one as a normal message [MQTT-3.3.1-11]; no body is ever null.
            assertEquals(List.of("home/kitchen=21", "home/kitchen=", "home/kitchen="), texts(broker.readAll("home/#")));
        }
    }

    @Test
    void aRocketmqProducerRetainsWithTheProperty() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            MessageExtBrokerInner message = BrokerFixture.message("sensors", "native");
            message.putUserProperty(MqttMessageProperties.RETAIN, "true");
            broker.put(message);
            broker.awaitIndexed();
            assertEquals(List.of("sensors=native"), texts(broker.queues().retained("+")));
        }
    }

    @Test
    void publicationTopicMessagesAreDispatchedUnderTheirMqttTopicButNotToFirstLevelWildcards() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(storeRoot)) {
            for (String filter : List.of("#", "+/broker/uptime", "$SYS/#")) {
                broker.queues().subscribe("c", filter, null).get(10, TimeUnit.SECONDS);
            }
            retain(broker, PublicationTopic.NAME, "$SYS/broker/uptime", "5");
            broker.awaitIndexed();
            assertEquals(List.of("$SYS/broker/uptime=5"), texts(broker.readAll("$SYS/#")));
            assertEquals(0, broker.queues().maxOffset("#"), "[MQTT-4.7.2-1]");
            assertEquals(0, broker.queues().maxOffset("+/broker/uptime"), "[MQTT-4.7.2-1]");
            assertEquals(List.of(), broker.queues().retained("#"));
            assertEquals(List.of("$SYS/broker/uptime=5"), texts(broker.queues().retained("$SYS/broker/+")));
        }
    }

    private static long retain(BrokerFixture broker, String rocketmqTopic, String mqttTopic, String body) {
        MessageExtBrokerInner message = BrokerFixture.message(rocketmqTopic, body);
        message.putUserProperty(MqttMessageProperties.ORIGIN_MQTT_TOPIC, mqttTopic);
        message.putUserProperty(MqttMessageProperties.RETAIN, "true");
        return broker.put(message);
    }

    private static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(m -> m.mqttTopic() + "=" + new String(m.body(), StandardCharsets.UTF_8)).toList();
    }
}
