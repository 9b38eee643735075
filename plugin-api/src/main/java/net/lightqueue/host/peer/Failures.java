package net.lightqueue.host.peer;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failed future failed with, without the wrapper that composing or waiting for futures adds. */
final class Failures {

    private Failures() {
    }

    static Throwable unwrap(Throwable failure) {
        boolean wrapper = failure instanceof CompletionException || failure instanceof ExecutionException;
        return wrapper && failure.getCause() != null ? failure.getCause() : failure;
    }
}
