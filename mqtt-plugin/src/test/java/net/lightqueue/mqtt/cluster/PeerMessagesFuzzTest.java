package net.lightqueue.mqtt.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.RetainedPage;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.host.testing.DecoderFuzzer;
import net.lightqueue.mqtt.persistence.MalformedRecordException;
import net.lightqueue.mqtt.persistence.ProgressRecord;
import org.junit.jupiter.api.Test;

/**
 * Any bytes that arrive as a peer request or answer decode or fail with
 * {@link MalformedRecordException}: never another exception, an allocation a corrupt count asks
 * for, or a hang. The remoting port is reachable by anything that reaches the broker.
 */
class PeerMessagesFuzzTest {

    private static final int CASES = DecoderFuzzer.cases(10_000);
    private static final StoredMessage MESSAGE = new StoredMessage("plant/1/temp", "21.5".getBytes(StandardCharsets.UTF_8),
        Map.of("mqttQos", "1"), 1_700_000_000_000L, 41, 1024);

    @Test
    void subscriptions() {
        DecoderFuzzer.of("subscribe", PeerMessages::subscribe, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.subscribe("c", List.of(new PeerMessages.FilterOptions("a/#", new byte[] {1, 0})))), CASES);
    }

    @Test
    void clientFilters() {
        DecoderFuzzer.of("clientFilters", PeerMessages::clientFilters, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.clientFilters("c", List.of("a/#", "b/+")), PeerMessages.clientFilters("", List.of())), CASES);
    }

    @Test
    void positions() {
        DecoderFuzzer.of("positions", PeerMessages::positions, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.positions(List.of(new PeerMessages.Position("a/#", 42, List.of(
                new PeerMessages.Pending(new ProgressRecord.Unacknowledged(41, 7, 1, false), MESSAGE),
                new PeerMessages.Pending(new ProgressRecord.Unacknowledged(40, 8, 2, true), null)))))), CASES);
    }

    @Test
    void reads() {
        DecoderFuzzer.of("read", PeerMessages::read, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.read(new PeerMessages.Read("a/#", 7, 64))), CASES);
        DecoderFuzzer.of("readResult", PeerMessages::readResult, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.readResult(new ReadResult(List.of(MESSAGE), 42, 1))), CASES);
    }

    @Test
    void progressRetainedAndArrivals() {
        DecoderFuzzer.of("progress", PeerMessages::progress, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.progress("c", Map.of("a/#", new ProgressRecord(3, List.of())))), CASES);
        DecoderFuzzer.of("retainedRequest", PeerMessages::retainedRequest, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.retainedRequest(new PeerMessages.RetainedRequest("plant/#", null)),
            PeerMessages.retainedRequest(new PeerMessages.RetainedRequest("plant/#", "plant/1/temp"))), CASES);
        DecoderFuzzer.of("retainedPage", PeerMessages::retainedPage, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.retainedPage(new RetainedPage(List.of(new RetainedVersion("plant/1/temp", 5, MESSAGE),
                new RetainedVersion("plant/2/temp", 6, null)), "plant/2/temp")),
            PeerMessages.retainedPage(new RetainedPage(List.of(), null))), CASES);
        DecoderFuzzer.of("arrivals", PeerMessages::arrivals, MalformedRecordException.class).fuzz(List.of(
            PeerMessages.arrivals(Map.of("a/#", 42L))), CASES);
    }
}
