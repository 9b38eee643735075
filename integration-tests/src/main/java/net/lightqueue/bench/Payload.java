package net.lightqueue.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bytes every benchmark message carries: publisher index (int), sequence number (long) and
 * send time (long, {@link System#nanoTime()}), then zero padding up to the payload size.
 * Publishers and subscribers live in the same runner JVM, so send and receive times compare.
 */
final class Payload {
    static final int HEADER_BYTES = Integer.BYTES + Long.BYTES + Long.BYTES;

    private Payload() {
    }

    static ByteBuf encode(ByteBufAllocator alloc, int size, int publisher, long sequence, long sentNanos) {
        ByteBuf buf = alloc.buffer(size, size);
        buf.writeInt(publisher).writeLong(sequence).writeLong(sentNanos);
        buf.writeZero(size - HEADER_BYTES);
        return buf;
    }

    static boolean isBenchmarkPayload(ByteBuf buf) {
        return buf.readableBytes() >= HEADER_BYTES;
    }

    static int publisher(ByteBuf buf) {
        return buf.getInt(buf.readerIndex());
    }

    static long sequence(ByteBuf buf) {
        return buf.getLong(buf.readerIndex() + Integer.BYTES);
    }

    static long sentNanos(ByteBuf buf) {
        return buf.getLong(buf.readerIndex() + Integer.BYTES + Long.BYTES);
    }
}
