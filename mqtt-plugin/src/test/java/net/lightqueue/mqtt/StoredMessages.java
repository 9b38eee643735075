package net.lightqueue.mqtt;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.store.GetMessageResult;
import org.apache.rocketmq.store.MessageStore;

/** Reads what the broker stored in a RocketMQ topic, as a RocketMQ consumer would see it. */
final class StoredMessages {

    private static final long WAIT_SECONDS = 20;

    private StoredMessages() {
    }

    /** The first message of the topic, once the broker's dispatch made it readable. */
    static MessageExt readFirst(MessageStore store, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            MessageExt found = readAnyQueue(store, topic);
            if (found != null) {
                return found;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no message in RocketMQ topic " + topic);
    }

    private static MessageExt readAnyQueue(MessageStore store, String topic) {
        for (int queueId = 0; queueId < 64; queueId++) {
            GetMessageResult result = store.getMessage("test-group", topic, queueId, 0, 1, null);
            if (result != null && result.getMessageBufferList() != null && !result.getMessageBufferList().isEmpty()) {
                try {
                    ByteBuffer buffer = result.getMessageBufferList().get(0);
                    return MessageDecoder.decode(buffer, true, false);
                } finally {
                    result.release();
                }
            }
        }
        return null;
    }
}
