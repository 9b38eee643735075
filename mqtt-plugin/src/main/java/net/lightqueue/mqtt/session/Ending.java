package net.lightqueue.mqtt.session;

/**
 * How a connection ended, as far as its session cares.
 *
 * @param publishWill false only after a normal DISCONNECT (v5: reason 0x00, not 0x04)
 * @param expirySeconds the Session Expiry Interval the v5 DISCONNECT set (already capped), or -1
 */
public record Ending(boolean publishWill, long expirySeconds) {

    /** Any end but the client's own DISCONNECT: network error, keep alive, protocol error, takeover, shutdown. */
    public static final Ending ABNORMAL = new Ending(true, -1);
}
