package net.lightqueue.mqtt;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time only moves when the test says so, with the clock that reads that time.
 * Tasks run on the test's thread: {@link #runReady} runs what is due now, {@link #advance} moves
 * time task by task. Only {@code execute}, one-shot {@code schedule} and
 * {@code scheduleWithFixedDelay} (which runs until the scheduler shuts down) are supported.
 */
public final class ManualScheduler implements ScheduledExecutorService {

    private final class Task implements ScheduledFuture<Object> {
        final long due;
        final long sequence;
        final Runnable action;
        boolean cancelled;
        boolean done;

        Task(long due, long sequence, Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return tasks.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
        Comparator.comparingLong((Task task) -> task.due).thenComparingLong(task -> task.sequence));
    private long now;
    private long sequence;

    public ManualScheduler(long startMillis) {
        this.now = startMillis;
    }

    /** A clock that reads this scheduler's time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long millis() {
                return now;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now);
            }
        };
    }

    public long now() {
        return now;
    }

    /** Runs every task due now, also those the tasks add for now. */
    public void runReady() {
        while (!tasks.isEmpty() && tasks.peek().due <= now) {
            Task task = tasks.poll();
            task.done = true;
            task.action.run();
        }
    }

    /** Moves time forward by {@code millis}, running each task at its due time on the way. */
    public void advance(long millis) {
        long until = now + millis;
        runReady();
        while (!tasks.isEmpty() && tasks.peek().due <= until) {
            now = Math.max(now, tasks.peek().due);
            runReady();
        }
        now = until;
        runReady();
    }

    /** Tasks waiting, due or not. */
    public int pending() {
        return tasks.size();
    }

    @Override
    public void execute(Runnable command) {
        tasks.add(new Task(now, sequence++, command));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(now + Math.max(0, unit.toMillis(delay)), sequence++, command);
        tasks.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Runnable[] repeating = new Runnable[1];
        repeating[0] = () -> {
            command.run();
            schedule(repeating[0], delay, unit);
        };
        return schedule(repeating[0], initialDelay, unit);
    }

    @Override
    public void shutdown() {
        tasks.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> waiting = new ArrayList<>();
        tasks.forEach(task -> waiting.add(task.action));
        tasks.clear();
        return waiting;
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<?> submit(Runnable task) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }
}
