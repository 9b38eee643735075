package net.lightqueue.mqtt.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.codec.SharedPayloadEncoder;

/**
 * One direct copy of each large payload being delivered, shared by every connection it goes to
 * ({@link SharedPayloadEncoder} writes it without copying). Smaller payloads are only wrapped:
 * the encoder copies them into the packet. Keeps the most recently used copies up to a byte
 * budget; a connection that still writes a copy let go of keeps it until written. Shared by
 * every event loop: one lock, taken only for large payloads, where it costs far less than a copy.
 */
public final class SharedPayloads {

    /** Enough for the large messages being fanned out at once; an older one is copied again if sent again. */
    private static final long BUDGET_BYTES = 16L << 20;

    /**
     * A copy of the body it was made from, known by identity (a message read again, or another
     * broker's at the same offset, is another body) and not kept alive by the copy.
     */
    private record Copy(WeakReference<byte[]> body, int length, ByteBuf buffer) {
    }

    private final Map<Long, Copy> byCommitLogOffset = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** The message's payload for one PUBLISH; the caller owns the returned reference. */
    public ByteBuf payload(StoredMessage message) {
        byte[] body = message.body();
        if (body.length < SharedPayloadEncoder.MIN_SHARED_PAYLOAD) {
            return Unpooled.wrappedBuffer(body);
        }
        synchronized (this) {
            Copy copy = byCommitLogOffset.get(message.commitLogOffset());
            if (copy == null || copy.body().get() != body) {
                copy = new Copy(new WeakReference<>(body), body.length,
                    PooledByteBufAllocator.DEFAULT.directBuffer(body.length).writeBytes(body));
                forget(byCommitLogOffset.put(message.commitLogOffset(), copy));
                bytes += body.length;
                evictOverBudget();
            }
            return copy.buffer().retainedDuplicate();
        }
    }

    /** Lets go of every copy, when the server stops. */
    public synchronized void clear() {
        byCommitLogOffset.values().forEach(this::forget);
        byCommitLogOffset.clear();
    }

    private void evictOverBudget() {
        Iterator<Copy> eldest = byCommitLogOffset.values().iterator();
        while (bytes > BUDGET_BYTES && byCommitLogOffset.size() > 1) {
            forget(eldest.next());
            eldest.remove();
        }
    }

    private void forget(Copy copy) {
        if (copy != null) {
            bytes -= copy.length();
            copy.buffer().release();
        }
    }
}
