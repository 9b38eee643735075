package net.lightqueue.dispatch;

import java.util.List;

/**
 * @param messages in queue order
 * @param nextOffset the offset to read from next (after the last message or skipped entry)
 * @param skipped entries whose commitlog data had already been deleted by retention
 */
public record ReadResult(List<StoredMessage> messages, long nextOffset, int skipped) {
}
