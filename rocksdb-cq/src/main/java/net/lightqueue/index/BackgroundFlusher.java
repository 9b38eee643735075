package net.lightqueue.index;

import java.util.concurrent.TimeUnit;

/**
 * Flushes memtables when enough bytes were written since the last flush (size bound) or when the
 * oldest unflushed write is old enough (time bound). Without a WAL, a flush is what makes a
 * checkpoint durable, so these two bounds cap how far the durable checkpoint lags.
 */
final class BackgroundFlusher implements AutoCloseable {
    private final Runnable flush;
    private final long sizeBound;
    private final long intervalNanos;
    private final Thread thread;
    private long unflushedBytes;
    private long dirtySinceNanos;
    private boolean dirty;
    private boolean closed;
    private volatile RuntimeException failure;

    BackgroundFlusher(Runnable flush, long sizeBound, long intervalMillis) {
        this.flush = flush;
        this.sizeBound = sizeBound;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = new Thread(this::run, "light-queue-index-flusher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    synchronized void written(long bytes) {
        if (!dirty) {
            dirty = true;
            dirtySinceNanos = System.nanoTime();
            notifyAll();
        }
        unflushedBytes += bytes;
        if (unflushedBytes >= sizeBound) {
            notifyAll();
        }
    }

    /** @throws IndexException if a background flush failed: later checkpoints would never become durable */
    void checkHealthy() {
        RuntimeException cause = failure;
        if (cause != null) {
            throw new IndexException("a background flush failed; the index cannot make writes durable", cause);
        }
    }

    private void run() {
        while (awaitDue()) {
            try {
                flush.run();
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
        }
    }

    /** Waits until a flush is due and claims it; {@code false} once closed. */
    private synchronized boolean awaitDue() {
        try {
            while (!closed) {
                if (dirty) {
                    long waitNanos = intervalNanos - (System.nanoTime() - dirtySinceNanos);
                    if (unflushedBytes >= sizeBound || waitNanos <= 0) {
                        // Writes after this point count towards the next flush, even if this one
                        // happens to include them: that only makes a flush earlier than needed.
                        dirty = false;
                        unflushedBytes = 0;
                        return true;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, waitNanos);
                } else {
                    wait();
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the thread, waiting for a flush in progress. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
