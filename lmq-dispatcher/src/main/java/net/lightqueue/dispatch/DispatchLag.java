package net.lightqueue.dispatch;

/**
 * How far the light-queue index is behind the commitlog.
 *
 * @param bytes  commitlog bytes written but not yet indexed (0 when caught up)
 * @param millis how long the oldest message not yet indexed has waited since it was stored
 *               (0 when caught up, or when its store time cannot be read)
 */
public record DispatchLag(long bytes, long millis) {

    public static final DispatchLag NONE = new DispatchLag(0, 0);
}
