package net.lightqueue.bench;

import java.util.BitSet;

/**
 * What one subscriber received from one publisher, judged by the publisher's sequence numbers
 * (0, 1, 2, ...). A sequence seen before is a duplicate; a new one below the highest seen so far
 * arrived out of order; whatever the publisher sent and never arrived is lost.
 */
final class SequenceTracker {
    private final BitSet seen = new BitSet();
    private long unique;
    private long duplicates;
    private long outOfOrder;
    private long highest = -1;

    void onMessage(long sequence) {
        if (sequence < 0 || sequence > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence out of range: " + sequence);
        }
        int bit = (int) sequence;
        if (seen.get(bit)) {
            duplicates++;
            return;
        }
        seen.set(bit);
        unique++;
        if (sequence < highest) {
            outOfOrder++;
        } else {
            highest = sequence;
        }
    }

    long unique() {
        return unique;
    }

    long duplicates() {
        return duplicates;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    /** Messages among the first {@code sent} that never arrived. */
    long lost(long sent) {
        return Math.max(0, sent - unique);
    }
}
