package net.lightqueue.index;

import java.nio.charset.StandardCharsets;

/** Validates queue names and encodes them as the UTF-8 bytes that key the {@code queues} family. */
final class QueueName {
    private QueueName() {
    }

    static byte[] encode(String name) {
        if (name == null || name.isEmpty()) {
            throw new IndexException("queue name must not be empty");
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > LightQueueIndex.MAX_QUEUE_NAME_BYTES) {
            throw new IndexException("queue name is " + utf8.length + " bytes in UTF-8, the limit is "
                    + LightQueueIndex.MAX_QUEUE_NAME_BYTES + " (name starts with '"
                    + name.substring(0, 32) + "')");
        }
        return utf8;
    }

    static String decode(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
