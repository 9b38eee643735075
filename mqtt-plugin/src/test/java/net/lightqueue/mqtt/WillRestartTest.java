package net.lightqueue.mqtt;

import static net.lightqueue.mqtt.SessionClients.connect;
import static net.lightqueue.mqtt.SessionClients.connectV5;
import static net.lightqueue.mqtt.SessionClients.nextPublish;
import static net.lightqueue.mqtt.SessionClients.subscribe;
import static net.lightqueue.mqtt.SessionClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wills whose connection ended with the broker: they are not lost across a restart. */
class WillRestartTest {

    @TempDir
    Path store;

    @Test
    void willsOfConnectionsEndedByAStopArePublished_MQTT_3_1_2_8() throws Exception {
        try (MqttBroker broker = MqttBroker.start(store)) {
            try (RawClient watcher = new RawClient(broker.port())) {
                connect(watcher, connectV5("stop-watcher", false, 600));
                subscribe(watcher, "stop/#", 1);
            }
            RawClient immediate = new RawClient(broker.port());
            connect(immediate, WillTest.withWill(MqttVersion.MQTT_3_1_1, "immediate", "stop/immediate"));
            RawClient delayed = new RawClient(broker.port());
            connect(delayed, WillTest.withWill(MqttVersion.MQTT_5, "delayed", "stop/delayed", 60, WillTest.willDelay(1), 600));
            broker.close(); // both connections end with the broker, neither with DISCONNECT
            immediate.close();
            delayed.close();
        }
        try (MqttBroker broker = MqttBroker.start(store);
             RawClient watcher = new RawClient(broker.port())) {
            assertTrue(connect(watcher, connectV5("stop-watcher", false, 600)));
            // One will at shutdown, the delayed one after its delay once the broker is back.
            assertEquals("gone immediate", text(nextPublish(watcher)));
            assertEquals("gone delayed", text(nextPublish(watcher)));
        }
    }
}
