package net.lightqueue.index;

import java.nio.file.Path;

/**
 * Child process of the crash test: reopens the index, continues the {@link CrashPattern} after
 * the recovered checkpoint as fast as it can, and reports on stdout "ready" once open and each
 * new durable checkpoint, until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        LightQueueIndex index = LightQueueIndex.open(Path.of(args[0]), CrashPattern.OPTIONS);
        System.out.println("ready " + index.checkpoint());
        System.out.flush();
        long reported = index.durableCheckpoint();
        for (long n = index.checkpoint() + 1; ; n++) {
            long retention = CrashPattern.retentionBefore(n);
            if (retention >= 0) {
                index.deleteEntriesBelow(retention);
            }
            IndexBatch batch = index.newBatch();
            CrashPattern.fill(batch, n);
            index.write(batch);
            long durable = index.durableCheckpoint();
            if (durable != reported) {
                reported = durable;
                System.out.println("durable " + durable);
                System.out.flush();
            }
        }
    }
}
