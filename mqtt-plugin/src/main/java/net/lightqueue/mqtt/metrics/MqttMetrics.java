package net.lightqueue.mqtt.metrics;

import io.netty.handler.codec.mqtt.MqttVersion;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.publish.RefusedPublishes;
import net.lightqueue.mqtt.sys.TrafficCounters;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.metrics.BrokerMetricsManager;

/**
 * The MQTT server's instruments on the broker's own OpenTelemetry meter, so they are exported
 * wherever the operator points the broker ({@code metricsExporterType}), with the broker's
 * labels. All but the delivery latency histogram are asynchronous: they read the server's
 * counters and state when the metrics are collected, so a packet costs no more than the counter
 * add it already had; a delivery records one histogram value.
 */
public final class MqttMetrics implements AutoCloseable {

    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("protocol_version");
    static final AttributeKey<String> QOS = AttributeKey.stringKey("qos");
    static final AttributeKey<String> REASON_CODE = AttributeKey.stringKey("reason_code");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> LISTENER = AttributeKey.stringKey("listener");
    static final AttributeKey<String> STATE = AttributeKey.stringKey("state");

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
        registerDropped(sources.undeliverable(), sources.refused());
        registerDelivery(sources.deliveries());
        registerDispatcher(sources.dispatcher());
    }

    private void registerConnections(MetricSources sources) {
        // Every listener and version every time: a series whose last client left reads 0 rather than vanishing.
        gauge("rocketmq_mqtt_connections", "MQTT clients connected, by listener and protocol version", measurement -> {
            Map<String, Map<MqttVersion, Integer>> counts = sources.connections().countByListenerAndVersion();
            Set<String> listeners = new LinkedHashSet<>(sources.listeners());
            listeners.addAll(counts.keySet());
            for (String listener : listeners) {
                Map<MqttVersion, Integer> byVersion = counts.getOrDefault(listener, Map.of());
                for (MqttVersion version : MqttVersion.values()) {
                    measurement.record(byVersion.getOrDefault(version, 0),
                        base.toBuilder().put(LISTENER, listener).put(PROTOCOL_VERSION, label(version)).build());
                }
            }
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
        Attributes connected = with(STATE, "connected");
        Attributes offline = with(STATE, "offline");
        gauge("rocketmq_mqtt_sessions", "MQTT sessions, by state: held by a connected client, or waiting for it", measurement -> {
            int sessions = sources.sessions().sessionCount();
            int held = Math.min(sources.connections().count(), sessions);
            measurement.record(held, connected);
            measurement.record(sessions - held, offline);
        });
        gauge("rocketmq_mqtt_subscriptions", "subscriptions of all sessions",
            measurement -> measurement.record(sources.dispatcher().subscriptionCount(), base));
        gauge("rocketmq_mqtt_shared_groups", "shared subscription groups with members on this broker",
            measurement -> measurement.record(sources.shared().groupCount(), base));
        gauge("rocketmq_mqtt_retained_messages", "retained messages",
            measurement -> measurement.record(sources.dispatcher().retainedCount(), base));
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

    /** One counter for both sides: messages skipped for a subscriber, and publishes refused from a client. */
    private void registerDropped(UndeliverableMessages undeliverable, RefusedPublishes refused) {
        Map<UndeliverableMessages.Reason, Attributes> skipped = new EnumMap<>(UndeliverableMessages.Reason.class);
        for (UndeliverableMessages.Reason reason : UndeliverableMessages.Reason.values()) {
            skipped.put(reason, with(REASON, reason.label()));
        }
        Map<RefusedPublishes.Reason, Attributes> refusals = new EnumMap<>(RefusedPublishes.Reason.class);
        for (RefusedPublishes.Reason reason : RefusedPublishes.Reason.values()) {
            refusals.put(reason, with(REASON, reason.label()));
        }
        counter("rocketmq_mqtt_messages_dropped_total", "messages skipped for a subscriber (too_large, not_convertible, "
            + "expired) or refused from a publisher (malformed, acl_denied, topic_refused), by reason", measurement -> {
                skipped.forEach((reason, labels) -> measurement.record(undeliverable.count(reason), labels));
                refusals.forEach((reason, labels) -> measurement.record(refused.count(reason), labels));
            });
    }

    private void registerDelivery(DeliveryMetrics deliveries) {
        gauge("rocketmq_mqtt_inflight_messages", "QoS 1/2 messages sent to connected clients and not yet acknowledged",
            total(deliveries::inflight));
        LongHistogram latency = meter.histogramBuilder("rocketmq_mqtt_delivery_latency_ms")
            .setDescription("milliseconds from a message's store time to its first write to a subscriber")
            .ofLongs().build();
        deliveries.recordLatencyTo(millis -> latency.record(millis, base));
        instruments.add(() -> deliveries.recordLatencyTo(null));
    }

    private void registerDispatcher(LightQueueDispatcher dispatcher) {
        gauge("rocketmq_mqtt_dispatch_lag_bytes", "commitlog bytes not yet indexed into the light queues",
            total(() -> dispatcher.lag(System.currentTimeMillis()).bytes()));
        gauge("rocketmq_mqtt_dispatch_lag_ms",
            "age of the oldest message not yet indexed into the light queues (0 when caught up)",
            total(() -> dispatcher.lag(System.currentTimeMillis()).millis()));
        gauge("rocketmq_mqtt_light_queues", "light queues in the index (one per filter ever subscribed)",
            total(dispatcher::lightQueueCount));
        gauge("rocketmq_mqtt_index_disk_bytes", "bytes of the light-queue index's SST files on disk",
            total(dispatcher::indexDiskBytes));
    }

    private static String label(MqttVersion version) {
        return switch (version) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
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

    /** Unregisters the callbacks and stops recording: the broker's meter outlives a stopped plugin. */
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
