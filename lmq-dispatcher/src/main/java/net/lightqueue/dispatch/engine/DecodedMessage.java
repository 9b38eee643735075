package net.lightqueue.dispatch.engine;

import java.util.Map;
import net.lightqueue.dispatch.StoredMessage;

/** A commitlog message as readers need it, independent of the queue it is read through. */
record DecodedMessage(String mqttTopic, byte[] body, Map<String, String> properties, long storeTimestamp,
                      long commitLogOffset) {

    StoredMessage at(long queueOffset) {
        return new StoredMessage(mqttTopic, body, properties, storeTimestamp, queueOffset, commitLogOffset);
    }
}
