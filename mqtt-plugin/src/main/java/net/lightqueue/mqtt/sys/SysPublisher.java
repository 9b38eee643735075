package net.lightqueue.mqtt.sys;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.lightqueue.dispatch.MqttMessageProperties;
import net.lightqueue.dispatch.PublicationTopic;
import net.lightqueue.mqtt.publish.MessageWriter;
import net.lightqueue.mqtt.publish.RocketTopics;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Publishes the {@code $SYS/broker/...} values every {@code mqttSysIntervalSeconds} as retained
 * QoS 0 messages. {@code $SYS} is no RocketMQ topic name, so they go into the plugin's
 * publication topic with their MQTT topic in {@code originMqttTopic}; the dispatcher retains and
 * matches them like any publication, and {@code #} or {@code +} at the first level never match
 * them [MQTT-4.7.2-1]. Only a master publishes (a slave cannot write).
 */
public final class SysPublisher {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.sys");
    private static final RocketTopics.Target TARGET = RocketTopics.Target.of(PublicationTopic.NAME, 0);

    private final SysTopics topics;
    private final MessageWriter writer;
    private final InetSocketAddress brokerAddress;
    private final BooleanSupplier master;
    private ScheduledFuture<?> task;

    private SysPublisher(SysTopics topics, MessageWriter writer, InetSocketAddress brokerAddress,
                         BooleanSupplier master) {
        this.topics = topics;
        this.writer = writer;
        this.brokerAddress = brokerAddress;
        this.master = master;
    }

    /**
     * @param intervalSeconds 0 = do not publish
     * @param master          whether this broker is the master now
     */
    public static SysPublisher start(SysTopics topics, MessageWriter writer, InetSocketAddress brokerAddress,
                                     ScheduledExecutorService timers, int intervalSeconds, BooleanSupplier master) {
        SysPublisher publisher = new SysPublisher(topics, writer, brokerAddress, master);
        if (intervalSeconds > 0) {
            publisher.task = timers.scheduleAtFixedRate(publisher::publishNow, 0, intervalSeconds, TimeUnit.SECONDS);
        }
        return publisher;
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void publishNow() {
        if (!master.getAsBoolean()) {
            return;
        }
        try {
            for (Map.Entry<String, String> value : topics.values(System.currentTimeMillis()).entrySet()) {
                Map<String, String> properties = Map.of(MqttMessageProperties.ORIGIN_MQTT_TOPIC, value.getKey(),
                    MqttMessageProperties.QOS, "0", MqttMessageProperties.RETAIN, MqttMessageProperties.RETAIN_SET);
                writer.write(TARGET, value.getKey(), value.getValue().getBytes(StandardCharsets.UTF_8), properties,
                    brokerAddress);
            }
        } catch (RuntimeException e) {
            LOG.warn("publishing $SYS topics failed: {}", e.toString()); // the next period tries again
        }
    }
}
