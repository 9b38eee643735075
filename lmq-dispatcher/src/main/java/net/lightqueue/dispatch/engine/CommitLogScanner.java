package net.lightqueue.dispatch.engine;

import java.util.function.Consumer;
import org.apache.rocketmq.store.CommitLog;
import org.apache.rocketmq.store.DispatchRequest;
import org.apache.rocketmq.store.SelectMappedBufferResult;

/**
 * Reads a range of the commitlog message by message, the way the broker's reput thread does,
 * for the stretches the broker will not dispatch to us again: an index that is new, was deleted,
 * or lags behind the broker's recovery window.
 */
final class CommitLogScanner {

    private final CommitLog commitLog;

    CommitLogScanner(CommitLog commitLog) {
        this.commitLog = commitLog;
    }

    /**
     * Passes every message starting in {@code [from, to)} to {@code sink}, in order.
     *
     * @return the offset the scan reached: {@code to}, or less if the commitlog ends or is
     *         unreadable there
     */
    long scan(long from, long to, Consumer<DispatchRequest> sink) {
        long offset = from;
        while (offset < to) {
            SelectMappedBufferResult data = commitLog.getData(offset, offset == 0);
            if (data == null) {
                return offset;
            }
            try {
                offset = data.getStartOffset();
                int read = 0;
                while (read < data.getSize() && offset < to) {
                    DispatchRequest request = commitLog.checkMessageAndReturnSize(data.getByteBuffer(), false, false, false);
                    int size = request.getBufferSize() == -1 ? request.getMsgSize() : request.getBufferSize();
                    if (!request.isSuccess()) {
                        return offset;
                    }
                    if (size == 0) {
                        // The blank tail of a file: the next message starts the next file.
                        offset = commitLog.rollNextFile(offset);
                        break;
                    }
                    sink.accept(request);
                    offset += size;
                    read += size;
                }
            } finally {
                data.release();
            }
        }
        return offset;
    }
}
