package net.lightqueue.mqtt.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A connection's handler that ends the connection when nothing arrives for longer than it
 * allows, or when a deadline passes whatever arrives. For silence it notes the time of every
 * socket read: Netty's decoders pass channelReadComplete on for each, so the bytes of a packet
 * still arriving count too. Its event loop's {@link KeepAliveSweep} finds the connections whose
 * allowance ran out. The state sits in the handler's own fields, so a watched connection costs
 * no object of its own. Confined to the channel's event loop.
 */
abstract class KeepAliveHandler extends ChannelInboundHandlerAdapter {

    /** {@link System#nanoTime()} the allowance counts from: the last read, or the deadline's start. */
    private long sinceNanos;
    private long allowedNanos;
    /** False for a deadline: reads do not move it. */
    private boolean readsRestartAllowance;
    /** Where {@link KeepAliveSweep} keeps this handler; -1 while not watched. */
    int sweepSlot = -1;

    /** Ends the connection after {@code allowedNanos} without a read, counted from now. */
    final void watchSilence(ChannelHandlerContext ctx, long allowedNanos) {
        watch(ctx, allowedNanos, true);
    }

    /**
     * Ends the connection {@code allowedNanos} from now, however many bytes arrive meanwhile: a
     * client that trickles a packet in byte by byte cannot hold the connection beyond it.
     */
    final void watchDeadline(ChannelHandlerContext ctx, long allowedNanos) {
        watch(ctx, allowedNanos, false);
    }

    private void watch(ChannelHandlerContext ctx, long allowed, boolean restartedByReads) {
        allowedNanos = allowed;
        readsRestartAllowance = restartedByReads;
        sinceNanos = System.nanoTime();
        if (sweepSlot < 0) {
            KeepAliveSweep.of(ctx.channel().eventLoop()).watch(this);
        }
    }

    /** The connection may stay silent as long as it likes, or is gone. */
    final void unwatchSilence(ChannelHandlerContext ctx) {
        if (sweepSlot >= 0) {
            KeepAliveSweep.of(ctx.channel().eventLoop()).unwatch(this);
        }
    }

    final boolean allowanceRanOut(long nowNanos) {
        return nowNanos - sinceNanos > allowedNanos;
    }

    /** Silent for longer than allowed, or past the deadline: ends the connection. The sweep no longer watches it. */
    abstract void allowanceExceeded();

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readsRestartAllowance) {
            sinceNanos = System.nanoTime();
        }
        ctx.fireChannelReadComplete();
    }
}
