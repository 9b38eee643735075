package net.lightqueue.dispatch;

import java.util.List;

/**
 * One page of a retained lookup ({@link RetainedMessages#retainedPage}).
 *
 * @param versions the matching topics of the page that hold a retained message or were cleared,
 *                 in UTF-8 order of the topics
 * @param next     the topic the page ended at, to pass as {@code after} for the next page; null
 *                 when the lookup is complete
 */
public record RetainedPage(List<RetainedVersion> versions, String next) {

    /** Whether this is the last page of its lookup. */
    public boolean last() {
        return next == null;
    }
}
