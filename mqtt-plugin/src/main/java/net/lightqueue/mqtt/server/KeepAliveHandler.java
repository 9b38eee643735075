package net.lightqueue.mqtt.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A connection's handler that ends the connection when nothing arrives for longer than it
 * allows. It notes the time of every socket read: Netty's decoders pass channelReadComplete on
 * for each, so the bytes of a packet still arriving count too. Its event loop's
 * {@link KeepAliveSweep} finds the connections silent for too long. The state sits in the
 * handler's own fields, so a watched connection costs no object of its own. Confined to the
 * channel's event loop.
 */
abstract class KeepAliveHandler extends ChannelInboundHandlerAdapter {

    /** {@link System#nanoTime()} of the last read. */
    private long lastReadNanos;
    private long allowedSilenceNanos;
    /** Where {@link KeepAliveSweep} keeps this handler; -1 while not watched. */
    int sweepSlot = -1;

    /** Ends the connection after {@code allowedNanos} without a read, counted from now. */
    final void watchSilence(ChannelHandlerContext ctx, long allowedNanos) {
        allowedSilenceNanos = allowedNanos;
        lastReadNanos = System.nanoTime();
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

    final boolean silentLongerThanAllowed(long nowNanos) {
        return nowNanos - lastReadNanos > allowedSilenceNanos;
    }

    /** Silent for longer than allowed: ends the connection. The sweep no longer watches it. */
    abstract void silenceExceeded();

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelReadComplete();
    }
}
