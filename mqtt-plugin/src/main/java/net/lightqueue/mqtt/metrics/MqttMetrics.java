package net.lightqueue.mqtt.metrics;

import io.netty.handler.codec.mqtt.MqttVersion;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.sys.TrafficCounters;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.metrics.BrokerMetricsManager;

/**
 * The MQTT server's instruments on the broker's own OpenTelemetry meter, so they are exported
 * wherever the operator points the broker ({@code metricsExporterType}), with the broker's
 * labels. All are asynchronous: they read the server's counters and state when the metrics are
 * collected, so a packet costs no more than the counter add it already had.
 */
public final class MqttMetrics implements AutoCloseable {

    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("protocol_version");
    static final AttributeKey<String> QOS = AttributeKey.stringKey("qos");
    static final AttributeKey<String> REASON_CODE = AttributeKey.stringKey("reason_code");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

    private final Meter meter;
    private final Attributes base;
    private final List<AutoCloseable> instruments = new ArrayList<>();

    MqttMetrics(Meter meter, Attributes base) {
        this.meter = meter;
        this.base = base;
    }

    /**
     * Registers the instruments on the broker's meter; a broker with metrics off
     * ({@code metricsExporterType=DISABLE}) has none, and gets none.
     */
    public static MqttMetrics start(BrokerController broker, MetricSources sources) {
        BrokerMetricsManager brokerMetrics = broker.getBrokerMetricsManager();
        if (brokerMetrics == null || brokerMetrics.getBrokerMeter() == null) {
            return new MqttMetrics(null, Attributes.empty());
        }
        MqttMetrics metrics = new MqttMetrics(brokerMetrics.getBrokerMeter(), brokerMetrics.newAttributesBuilder().build());
        metrics.register(sources);
        return metrics;
    }

    void register(MetricSources sources) {
        registerConnections(sources);
        registerState(sources);
        registerTraffic(sources.traffic());
        registerDropped(sources.undeliverable());
    }

    private void registerConnections(MetricSources sources) {
        Map<MqttVersion, Attributes> byVersion = new EnumMap<>(MqttVersion.class);
        for (MqttVersion version : MqttVersion.values()) {
            byVersion.put(version, with(PROTOCOL_VERSION, switch (version) {
                case MQTT_3_1 -> "3.1";
                case MQTT_3_1_1 -> "3.1.1";
                case MQTT_5 -> "5.0";
            }));
        }
        // Every version every time: a version whose last client left reads 0 rather than vanishing.
        gauge("rocketmq_mqtt_connections", "MQTT clients connected, by protocol version", measurement -> {
            Map<MqttVersion, Integer> counts = sources.connections().countByVersion();
            byVersion.forEach((version, labels) -> measurement.record(counts.getOrDefault(version, 0), labels));
        });
        Attributes[] codes = new Attributes[256];
        for (int code = 0; code < codes.length; code++) {
            codes[code] = with(REASON_CODE, String.format("0x%02x", code));
        }
        TrafficCounters traffic = sources.traffic();
        counter("rocketmq_mqtt_connacks_total", "CONNACKs sent, by reason code (0x00: accepted)", measurement -> {
            for (int code = 0; code < codes.length; code++) {
                long count = traffic.connAcks(code);
                if (count > 0) {
                    measurement.record(count, codes[code]);
                }
            }
        });
    }

    private void registerState(MetricSources sources) {
        gauge("rocketmq_mqtt_sessions", "MQTT sessions, connected or waiting for their client",
            measurement -> measurement.record(sources.sessions().sessionCount(), base));
        gauge("rocketmq_mqtt_subscriptions", "subscriptions of all sessions",
            measurement -> measurement.record(sources.subscriptions().subscriptionCount(), base));
        gauge("rocketmq_mqtt_retained_messages", "retained messages",
            measurement -> measurement.record(sources.retained().retainedCount(), base));
    }

    private void registerTraffic(TrafficCounters traffic) {
        byQos("rocketmq_mqtt_messages_in_total", "PUBLISH packets received from clients, by QoS", traffic.publishesIn());
        byQos("rocketmq_mqtt_messages_out_total", "PUBLISH packets sent to clients (resends included), by QoS",
            traffic.publishesOut());
        counter("rocketmq_mqtt_throughput_in_total", "payload bytes of the PUBLISH packets received",
            total(traffic.publishesIn()::payloadBytes));
        counter("rocketmq_mqtt_throughput_out_total", "payload bytes of the PUBLISH packets sent",
            total(traffic.publishesOut()::payloadBytes));
        counter("rocketmq_mqtt_packets_in_total", "MQTT packets of any type received", total(traffic::received));
        counter("rocketmq_mqtt_packets_out_total", "MQTT packets of any type sent", total(traffic::sent));
    }

    private void registerDropped(UndeliverableMessages undeliverable) {
        Map<UndeliverableMessages.Reason, Attributes> reasons = new EnumMap<>(UndeliverableMessages.Reason.class);
        for (UndeliverableMessages.Reason reason : UndeliverableMessages.Reason.values()) {
            reasons.put(reason, with(REASON, reason.label()));
        }
        counter("rocketmq_mqtt_messages_dropped_total",
            "messages skipped for a subscriber, by reason: over its Maximum Packet Size or not convertible",
            measurement -> reasons.forEach((reason, labels) -> measurement.record(undeliverable.count(reason), labels)));
    }

    private void byQos(String name, String description, TrafficCounters.PublishCounts counts) {
        Attributes[] qos = {with(QOS, "0"), with(QOS, "1"), with(QOS, "2")};
        counter(name, description, measurement -> {
            for (int level = 0; level < qos.length; level++) {
                measurement.record(counts.count(level), qos[level]);
            }
        });
    }

    private Consumer<ObservableLongMeasurement> total(LongSupplier value) {
        return measurement -> measurement.record(value.getAsLong(), base);
    }

    private void gauge(String name, String description, Consumer<ObservableLongMeasurement> callback) {
        instruments.add(meter.gaugeBuilder(name).setDescription(description).ofLongs().buildWithCallback(callback));
    }

    private void counter(String name, String description, Consumer<ObservableLongMeasurement> callback) {
        instruments.add(meter.counterBuilder(name).setDescription(description).buildWithCallback(callback));
    }

    private Attributes with(AttributeKey<String> key, String value) {
        return base.toBuilder().put(key, value).build();
    }

    /** Unregisters the callbacks: the broker's meter outlives a stopped plugin. */
    @Override
    public void close() {
        for (AutoCloseable instrument : instruments) {
            try {
                instrument.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing an instrument", e);
            }
        }
        instruments.clear();
    }
}
