package net.lightqueue.index;

/** What the writer knows of a queue: its stored {@link QueueRecord} plus its next offset. */
record QueueState(long id, long minOffset, long nextOffset) {
    QueueState withMinOffset(long newMin) {
        return new QueueState(id, newMin, nextOffset);
    }
}
