package net.lightqueue.mqtt.publish;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A {@link MessageWriter} that keeps each write pending until the test completes it, in any order. */
public final class RecordingWriter implements MessageWriter {

    /** One write as the store got it. */
    public record Write(String rocketTopic, String mqttTopic, String payload, Map<String, String> properties,
                        CompletableFuture<Outcome> outcome) {

        public void succeed() {
            outcome.complete(new Outcome((byte) 0, "PUT_OK"));
        }

        public void fail(byte reasonCode, String status) {
            outcome.complete(new Outcome(reasonCode, status));
        }
    }

    private final List<Write> writes = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Outcome> write(RocketTopics.Target target, String mqttTopic, byte[] payload,
                                                        Map<String, String> properties, SocketAddress bornHost) {
        Write write = new Write(target.topic(), mqttTopic, new String(payload, StandardCharsets.UTF_8), properties,
            new CompletableFuture<>());
        writes.add(write);
        return write.outcome();
    }

    public synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    public synchronized Write write(int index) {
        return writes.get(index);
    }
}
