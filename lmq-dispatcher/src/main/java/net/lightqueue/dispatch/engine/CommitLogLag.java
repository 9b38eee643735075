package net.lightqueue.dispatch.engine;

import java.nio.ByteBuffer;
import net.lightqueue.dispatch.DispatchLag;
import org.apache.rocketmq.store.CommitLog;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.SelectMappedBufferResult;

/**
 * Measures the index's lag behind the commitlog for metrics: the bytes between the index's
 * checkpoint and the commitlog's end, and the age of the first message after the checkpoint,
 * read from its header alone.
 */
public final class CommitLogLag {

    /** A message's total size and magic code. */
    private static final int HEADER_BYTES = 8;

    private CommitLogLag() {
    }

    /** @param indexedUpTo the commitlog offset up to which the index is written */
    public static DispatchLag of(DefaultMessageStore store, long indexedUpTo, long nowMillis) {
        long bytes = store.getMaxPhyOffset() - indexedUpTo;
        if (bytes <= 0 || store.isShutdown()) {
            return DispatchLag.NONE;
        }
        long stored = storeTimestampAt(store.getCommitLog(), indexedUpTo, true);
        return new DispatchLag(bytes, stored < 0 ? 0 : Math.max(0, nowMillis - stored));
    }

    /** The store time of the message at {@code offset}, or -1 if none can be read there. */
    private static long storeTimestampAt(CommitLog commitLog, long offset, boolean mayRoll) {
        SelectMappedBufferResult header = commitLog.getMessage(offset, HEADER_BYTES);
        if (header == null) {
            return -1;
        }
        int size;
        int magic;
        try {
            ByteBuffer buffer = header.getByteBuffer();
            size = buffer.getInt();
            magic = buffer.getInt();
        } finally {
            header.release();
        }
        if (magic == CommitLog.BLANK_MAGIC_CODE) {
            // The end of a commitlog file: the next message starts the next file.
            return mayRoll ? storeTimestampAt(commitLog, commitLog.rollNextFile(offset), false) : -1;
        }
        return size <= 0 ? -1 : commitLog.pickupStoreTimestamp(offset, size);
    }
}
