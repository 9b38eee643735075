package net.lightqueue.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import net.lightqueue.host.testing.InProcessBroker;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.store.MessageStore;
import org.apache.rocketmq.store.PutMessageResult;
import org.apache.rocketmq.store.PutMessageStatus;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;

class PluginHostTest {

    @TempDir
    Path storeRoot;

    @AfterEach
    void forgetInstances() {
        RecordingPlugin.INSTANCES.clear();
        RecordingPlugin.dispatchFrom = null;
        RecordingPlugin.failIn = null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"load", "start"})
    void aFailingPluginFailsTheBrokerStartNamingPluginPhaseAndCause(String phase) {
        RecordingPlugin.failIn = phase;
        Exception e = assertThrows(Exception.class, () -> InProcessBroker.start(storeRoot).close());
        assertEquals("plugin 'recording' failed to " + phase + ": cannot open the recording for " + phase,
            rootPluginFailure(e).getMessage());
    }

    private static Throwable rootPluginFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PluginFailure) {
                return t;
            }
        }
        throw new AssertionError("no PluginFailure in the chain", e);
    }

    @Test
    void runsThePluginAlongTheBrokerLifecycle() throws Exception {
        Properties conf = new Properties();
        conf.setProperty("recordingLevel", "7");
        RecordingPlugin plugin;
        try (InProcessBroker broker = InProcessBroker.start(storeRoot, conf)) {
            plugin = RecordingPlugin.INSTANCES.get(0);
            assertSame(broker.controller(), plugin.context.brokerController(), "the context must carry this broker's controller");
            assertSame(broker.host(), plugin.context.messageStore());
            assertEquals(7, plugin.context.settings(RecordingPlugin.Settings.class).recordingLevel);
            assertEquals("7", broker.controller().getConfiguration().getAllConfigs().getProperty("recordingLevel"),
                "bound settings are visible in the broker's configuration");
            assertEquals(storeRoot.resolve("recording"), plugin.context.dataDir());
            assertTrue(Files.isDirectory(storeRoot.resolve("recording")));
            assertEquals(List.of("load:maxPhyOffset=0", "start:maxPhyOffset=0", "role:master=true"), plugin.events);

            put(broker.host(), "TopicA");
            awaitDispatched(plugin, List.of("TopicA"));
        }
        assertEquals("stop:storeShutdown=false", plugin.events.get(plugin.events.size() - 1),
            "plugins stop before the store shuts down");
    }

    @Test
    void recoveryReplaysFromThePluginsCheckpoint() throws Exception {
        long secondOffset;
        try (InProcessBroker broker = InProcessBroker.start(storeRoot)) {
            put(broker.host(), "T1");
            secondOffset = put(broker.host(), "T2").getAppendMessageResult().getWroteOffset();
            put(broker.host(), "T3");
            awaitDispatched(RecordingPlugin.INSTANCES.get(0), List.of("T1", "T2", "T3"));
        }
        RecordingPlugin.INSTANCES.clear();
        // The broker re-dispatches messages whose offset is greater than the returned value.
        RecordingPlugin.dispatchFrom = secondOffset - 1;
        try (InProcessBroker broker = InProcessBroker.start(storeRoot)) {
            RecordingPlugin plugin = RecordingPlugin.INSTANCES.get(0);
            assertEquals(List.of("T2", "T3"), plugin.dispatchedTopics, "replayed during recovery, before start");
            assertEquals("load:maxPhyOffset=0", plugin.events.get(0), "load runs before the commitlog is recovered");
            assertTrue(plugin.events.get(1).startsWith("start:maxPhyOffset=") && !plugin.events.get(1).endsWith("=0"));
        }
    }

    private static PutMessageResult put(MessageStore store, String topic) {
        MessageExtBrokerInner msg = new MessageExtBrokerInner();
        msg.setTopic(topic);
        msg.setQueueId(0);
        msg.setBody("hello".getBytes(StandardCharsets.UTF_8));
        msg.setTags("test");
        msg.setBornTimestamp(System.currentTimeMillis());
        msg.setBornHost(new InetSocketAddress("127.0.0.1", 1));
        msg.setStoreHost(new InetSocketAddress("127.0.0.1", 2));
        msg.setPropertiesString(MessageDecoder.messageProperties2String(msg.getProperties()));
        PutMessageResult result = store.putMessage(msg);
        assertEquals(PutMessageStatus.PUT_OK, result.getPutMessageStatus());
        return result;
    }

    private static void awaitDispatched(RecordingPlugin plugin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!plugin.dispatchedTopics.equals(topics) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(topics, plugin.dispatchedTopics);
    }
}
