package net.lightqueue.bench;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client id flaps between two connections --storm times: each new connection takes the
 * session over, and the broker must end the older one; under MQTT 5 with DISCONNECT 0x8E
 * (Session taken over). A takeover is timed from the new connection's start until it is ready
 * and the older one is closed.
 */
final class TakeoverStorm implements Storm {
    static final int SESSION_TAKEN_OVER = 0x8E;

    private final BenchOptions options;
    private final ClientSpec spec;
    /** Handshake times of the flapping connections, not reported: the takeover time includes them. */
    private final LatencyRecorder handshakes = new LatencyRecorder();
    private BenchClient current;

    TakeoverStorm(BenchOptions options, ClientPlan plan) {
        this.options = options;
        this.spec = ClientSpec.idle(plan.stormClientId(0));
    }

    @Override
    public void prepare(Fleet fleet) throws InterruptedException {
        current = fleet.reconnect(spec, handshakes);
    }

    @Override
    public void run(Fleet fleet, Result result) throws InterruptedException {
        LatencyRecorder takeovers = new LatencyRecorder();
        long notEnded = 0;
        long without0x8e = 0;
        long start = System.nanoTime();
        for (int i = 0; i < options.stormSize(); i++) {
            BenchClient older = current;
            older.expectTakeover();
            long takeoverStart = System.nanoTime();
            current = fleet.reconnect(spec, handshakes);
            if (!awaitClosed(older)) {
                notEnded++;
                fleet.disconnect(List.of(older));
                continue;
            }
            takeovers.recordMicros((System.nanoTime() - takeoverStart) / 1_000);
            if (options.protocol() == ProtocolVersion.V5 && older.disconnectReason() != SESSION_TAKEN_OVER) {
                without0x8e++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        result.put("takeovers", options.stormSize()).put("storm_s", seconds)
                .put("takeovers_per_s", Throughput.perSecond(options.stormSize(), seconds))
                .put("takeovers_not_ended", notEnded).put("takeovers_without_0x8e", without0x8e);
        Throughput.reportLatency(takeovers.merged(), "takeover", result);
    }

    private boolean awaitClosed(BenchClient older) throws InterruptedException {
        try {
            older.closed().get(options.connectTimeoutNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("closed() never fails", e);
        }
    }

    @Override
    public void end(Fleet fleet, Result result) {
        fleet.disconnect(List.of(current));
    }
}
