package net.lightqueue.mqtt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.DispatchLag;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.mqtt.codec.DecodedPackets;
import net.lightqueue.mqtt.codec.PacketEncoder;
import net.lightqueue.mqtt.codec.PacketFramer;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.publish.RefusedPublishes;
import net.lightqueue.mqtt.server.ConnectionRegistry;
import net.lightqueue.mqtt.session.SessionLifecycle;
import net.lightqueue.mqtt.shared.SharedGroups;
import net.lightqueue.mqtt.sys.TrafficCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The instruments on an OpenTelemetry SDK meter, read from real traffic counters in a Netty pipeline. */
class MqttMetricsTest {

    private static final Attributes BROKER = Attributes.of(AttributeKey.stringKey("cluster"), "DefaultCluster");

    private final CollectingReader reader = new CollectingReader();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final TrafficCounters traffic = new TrafficCounters();
    private final RefusedPublishes refused = new RefusedPublishes();
    private final PacketFramer framer = new PacketFramer(1 << 20);
    /** The server's codec: what it decodes and encodes is counted. */
    private final EmbeddedChannel channel = new EmbeddedChannel(framer, new MqttDecoder(),
        new DecodedPackets(framer, traffic), new PacketEncoder(traffic));
    private final MqttMetrics metrics = new MqttMetrics(provider.get("broker-meter"), BROKER);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        provider.close();
    }

    @Test
    void countsPublishesByQosAndConnAcksByReasonCodeWithTheBrokersLabels() {
        metrics.register(sources());
        receive(MqttQoS.AT_MOST_ONCE, "a");
        receive(MqttQoS.AT_LEAST_ONCE, "bb");
        receive(MqttQoS.AT_LEAST_ONCE, "ccc");
        channel.writeOutbound(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build());
        channel.writeOutbound(MqttMessageBuilders.connAck()
            .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5).build());
        channel.writeOutbound(MqttMessageBuilders.publish().topicName("t").qos(MqttQoS.EXACTLY_ONCE).messageId(1)
            .payload(Unpooled.wrappedBuffer(new byte[10])).build());

        Map<String, Long> points = collect();

        assertEquals(1, points.get("rocketmq_mqtt_messages_in_total qos=0"));
        assertEquals(2, points.get("rocketmq_mqtt_messages_in_total qos=1"));
        assertEquals(0, points.get("rocketmq_mqtt_messages_in_total qos=2"));
        assertEquals(1, points.get("rocketmq_mqtt_messages_out_total qos=2"));
        assertEquals(6, points.get("rocketmq_mqtt_throughput_in_total"));
        assertEquals(10, points.get("rocketmq_mqtt_throughput_out_total"));
        assertEquals(1, points.get("rocketmq_mqtt_connacks_total reason_code=0x00"));
        assertEquals(1, points.get("rocketmq_mqtt_connacks_total reason_code=0x87"));
        assertEquals(2, points.keySet().stream().filter(key -> key.startsWith("rocketmq_mqtt_connacks_total")).count(),
            "only the codes that were sent: " + points);
        assertEquals(3, points.get("rocketmq_mqtt_packets_in_total"));
        assertEquals(3, points.get("rocketmq_mqtt_packets_out_total"));
        assertEquals(0, points.get("rocketmq_mqtt_sessions state=connected"));
        assertEquals(4, points.get("rocketmq_mqtt_sessions state=offline"));
        assertEquals(5, points.get("rocketmq_mqtt_subscriptions"));
        assertEquals(6, points.get("rocketmq_mqtt_retained_messages"));
        assertEquals(3, points.get("rocketmq_mqtt_shared_groups"));
        assertEquals(0, points.get("rocketmq_mqtt_connections listener=ws protocol_version=5.0"),
            "a listener and version without clients reads 0");
        assertEquals(6, points.keySet().stream().filter(key -> key.startsWith("rocketmq_mqtt_connections")).count(),
            "the configured listeners by version: " + points);
        assertEquals(0, points.get("rocketmq_mqtt_inflight_messages"));
        assertEquals(100, points.get("rocketmq_mqtt_dispatch_lag_bytes"));
        assertEquals(7, points.get("rocketmq_mqtt_dispatch_lag_ms"));
        assertEquals(8, points.get("rocketmq_mqtt_light_queues"));
        assertEquals(9, points.get("rocketmq_mqtt_index_disk_bytes"));
        assertTrue(reader.collect().stream().allMatch(metric -> metric.getLongSumData().getPoints().stream()
            .allMatch(point -> "DefaultCluster".equals(point.getAttributes().get(AttributeKey.stringKey("cluster"))))
            && metric.getLongGaugeData().getPoints().stream()
            .allMatch(point -> "DefaultCluster".equals(point.getAttributes().get(AttributeKey.stringKey("cluster"))))));
    }

    @Test
    void droppedMessagesAreOneCounterWithEveryReasonOfBothSides() {
        metrics.register(sources());
        refused.refused(RefusedPublishes.Reason.ACL_DENIED);
        refused.refused(RefusedPublishes.Reason.ACL_DENIED);
        refused.refused(RefusedPublishes.Reason.TOPIC_REFUSED);

        Map<String, Long> points = collect();

        assertEquals(2, points.get("rocketmq_mqtt_messages_dropped_total reason=acl_denied"));
        assertEquals(1, points.get("rocketmq_mqtt_messages_dropped_total reason=topic_refused"));
        for (String zero : List.of("malformed", "packet_too_large", "too_large", "not_convertible", "expired")) {
            assertEquals(0, points.get("rocketmq_mqtt_messages_dropped_total reason=" + zero), zero);
        }
    }

    @Test
    void closingUnregistersTheCallbacks() {
        metrics.register(sources());
        receive(MqttQoS.AT_LEAST_ONCE, "x");
        assertEquals(1, collect().get("rocketmq_mqtt_messages_in_total qos=1"));

        metrics.close();

        assertEquals(Map.of(), collect());
    }

    private MetricSources sources() {
        SessionLifecycle sessions = mock(SessionLifecycle.class);
        when(sessions.sessionCount()).thenReturn(4);
        SharedGroups shared = mock(SharedGroups.class);
        when(shared.groupCount()).thenReturn(3);
        LightQueueDispatcher dispatcher = mock(LightQueueDispatcher.class);
        when(dispatcher.subscriptionCount()).thenReturn(5L);
        when(dispatcher.retainedCount()).thenReturn(6L);
        when(dispatcher.lag(anyLong())).thenReturn(new DispatchLag(100, 7));
        when(dispatcher.lightQueueCount()).thenReturn(8L);
        when(dispatcher.indexDiskBytes()).thenReturn(9L);
        return new MetricSources(List.of("tcp", "ws"), new ConnectionRegistry(), traffic, sessions, shared,
            new UndeliverableMessages(), refused, new DeliveryMetrics(), dispatcher);
    }

    private void receive(MqttQoS qos, String payload) {
        EmbeddedChannel client = new EmbeddedChannel(MqttEncoder.INSTANCE);
        client.writeOutbound(MqttMessageBuilders.publish().topicName("t").qos(qos).messageId(qos.value())
            .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8)).build());
        channel.writeInbound((Object) client.readOutbound());
    }

    /** "name label=value" (the label other than the broker's, if any) to the point's value. */
    private Map<String, Long> collect() {
        Map<String, Long> points = new HashMap<>();
        for (MetricData metric : reader.collect()) {
            Collection<LongPointData> data = metric.getLongSumData().getPoints().isEmpty()
                ? metric.getLongGaugeData().getPoints() : metric.getLongSumData().getPoints();
            for (LongPointData point : data) {
                StringBuilder key = new StringBuilder(metric.getName());
                point.getAttributes().forEach((attribute, value) -> {
                    if (!BROKER.asMap().containsKey(attribute)) {
                        key.append(' ').append(attribute.getKey()).append('=').append(value);
                    }
                });
                points.put(key.toString(), point.getValue());
            }
        }
        return points;
    }

    /** Collects on demand, as the broker's Prometheus endpoint does on a scrape. */
    private static final class CollectingReader implements MetricReader {

        private CollectionRegistration registration = CollectionRegistration.noop();

        @Override
        public void register(CollectionRegistration collection) {
            this.registration = collection;
        }

        Collection<MetricData> collect() {
            return registration.collectAllMetrics();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
