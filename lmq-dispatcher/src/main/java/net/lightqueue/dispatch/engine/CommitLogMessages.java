package net.lightqueue.dispatch.engine;

import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.store.CommitLog;
import org.apache.rocketmq.store.SelectMappedBufferResult;

/**
 * Reads one whole message (properties and decompressed body) from the commitlog. RocketMQ
 * decodes a zero-length body as null; every message read here has a body, empty or not, so
 * no reader has to remember that.
 */
final class CommitLogMessages {

    private static final byte[] EMPTY = new byte[0];

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
        if (message == null || message.getCommitLogOffset() != offset) {
            return null;
        }
        if (message.getBody() == null) {
            message.setBody(EMPTY);
        }
        return message;
    }
}
