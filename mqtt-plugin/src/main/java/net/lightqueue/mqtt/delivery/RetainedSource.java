package net.lightqueue.mqtt.delivery;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.StoredMessage;

/**
 * The retained messages a new subscription is owed, read a page at a time, each page only once
 * the client took the previous one: a lookup of {@code #} over millions of retained messages
 * holds one page in memory.
 */
public interface RetainedSource {

    /** The next page, in topic order, possibly empty; asked again only once the last one completed. */
    CompletableFuture<List<StoredMessage>> nextPage();

    /** Whether the last page was read. */
    boolean exhausted();
}
