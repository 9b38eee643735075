package net.lightqueue.dispatch.engine;

import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.store.CommitLog;
import org.apache.rocketmq.store.SelectMappedBufferResult;

/** Reads one whole message (properties and decompressed body) from the commitlog. */
final class CommitLogMessages {

    private CommitLogMessages() {
    }

    /** Null if the commitlog no longer holds a message at that offset (deleted by retention). */
    static MessageExt read(CommitLog commitLog, long offset, int size) {
        SelectMappedBufferResult data = commitLog.getMessage(offset, size);
        if (data == null) {
            return null;
        }
        MessageExt message;
        try {
            message = MessageDecoder.decode(data.getByteBuffer(), true, true);
        } finally {
            data.release();
        }
        return message == null || message.getCommitLogOffset() != offset ? null : message;
    }
}
