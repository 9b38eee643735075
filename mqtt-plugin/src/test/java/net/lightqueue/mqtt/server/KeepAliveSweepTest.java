package net.lightqueue.mqtt.server;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveSweepTest {

    /** The sweep is found by thread: asked for from another thread, it would be that thread's. */
    @Test
    void aLoopHasOneSweepAndItIsRefusedOffTheLoop() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            assertThrows(IllegalStateException.class, () -> KeepAliveSweep.of(loop));
            KeepAliveSweep first = loop.submit(() -> KeepAliveSweep.of(loop)).get();
            assertSame(first, loop.submit(() -> KeepAliveSweep.of(loop)).get());
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
