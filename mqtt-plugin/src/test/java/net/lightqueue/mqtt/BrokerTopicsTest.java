package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.lightqueue.mqtt.publish.BrokerTopics;
import net.lightqueue.mqtt.publish.RocketTopics;
import net.lightqueue.mqtt.topic.ReservedTopics;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.topic.TopicConfigManager;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic creation for MQTT publishes, in a real broker's topic config. */
class BrokerTopicsTest {

    private static final int TOPICS = 50;
    private static final int RACERS = 4;

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    /**
     * Event loops that meet a new first level at once create its RocketMQ topic once: every one of
     * them routes to the same config, and the topic table changed once per topic.
     */
    @Test
    void publishersRacingToANewTopicCreateItOnce() throws Exception {
        BrokerController controller = broker.broker().controller();
        TopicConfigManager brokersOwn = controller.getTopicConfigManager();
        TopicConfigManager configs = new SlowToMiss(controller);
        controller.setTopicConfigManager(configs);
        try {
            raceToCreate(controller, configs);
        } finally {
            controller.setTopicConfigManager(brokersOwn);
        }
    }

    private static void raceToCreate(BrokerController controller, TopicConfigManager configs) throws Exception {
        BrokerConfig config = controller.getBrokerConfig();
        ReservedTopics reserved = new ReservedTopics(config.getBrokerClusterName(), config.getBrokerName());
        // Saving to disk and registering with the name server are not what is tested.
        BrokerTopics topics = new BrokerTopics(controller, reserved, true, saving -> { });
        long versionBefore = configs.getDataVersion().getCounter().get();
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            for (int t = 0; t < TOPICS; t++) {
                String mqttTopic = "race" + t + "/device";
                assertNull(configs.selectTopicConfig("race" + t));
                CyclicBarrier start = new CyclicBarrier(RACERS);
                List<Future<RocketTopics.Target>> resolved = new ArrayList<>();
                for (int r = 0; r < RACERS; r++) {
                    resolved.add(racers.submit(() -> {
                        start.await();
                        return topics.resolve(mqttTopic);
                    }));
                }
                for (Future<RocketTopics.Target> target : resolved) {
                    assertEquals(resolved.get(0).get(), target.get(), mqttTopic);
                }
                TopicConfig created = configs.selectTopicConfig("race" + t);
                assertNotNull(created, mqttTopic);
            }
        } finally {
            racers.shutdownNow();
        }
        assertEquals(TOPICS, configs.getDataVersion().getCounter().get() - versionBefore,
            "changes of the topic table for " + TOPICS + " new topics");
    }

    /** A topic table slow to answer "no such topic", as on a loaded machine: racers all get that answer. */
    private static final class SlowToMiss extends TopicConfigManager {
        SlowToMiss(BrokerController controller) {
            super(controller, false);
        }

        @Override
        public TopicConfig selectTopicConfig(String topic) {
            TopicConfig config = super.selectTopicConfig(topic);
            if (config == null) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return config;
        }
    }
}
