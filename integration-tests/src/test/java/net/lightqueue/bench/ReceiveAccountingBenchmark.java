package net.lightqueue.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the runner spends on each received message (sequence tracking, counters, latency), which
 * bounds the delivery rate one runner thread can account for: bench/jmh.sh integration-tests Receive
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReceiveAccountingBenchmark {
    private static final int PUBLISHERS = 10;

    private final RunMeters meters = new RunMeters();
    private Inbox inbox;
    private ByteBuf payload;
    private long sequence;

    @Setup
    public void setUp() {
        inbox = new Inbox(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, meters);
        meters.window.open(0);
        payload = Payload.encode(UnpooledByteBufAllocator.DEFAULT, 64, 0, 0, System.nanoTime());
    }

    @TearDown
    public void tearDown() {
        payload.release();
    }

    @Benchmark
    public void accountOneMessage() {
        long seq = sequence++;
        payload.setInt(0, (int) (seq % PUBLISHERS));
        payload.setLong(Integer.BYTES, seq / PUBLISHERS);
        inbox.onPublish(payload, 0);
    }
}
