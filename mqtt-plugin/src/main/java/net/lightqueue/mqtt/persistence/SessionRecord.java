package net.lightqueue.mqtt.persistence;

/**
 * What the broker keeps of a client's session besides its subscriptions and progress (family
 * "sessions", key = client id).
 *
 * @param protocolLevel 3, 4 or 5, from the CONNECT that created or resumed the session
 * @param expirySeconds how long the session outlives its connection; {@link #NEVER} = forever
 * @param connected whether a connection holds the session; a record that says so when the
 *                  broker starts belongs to a connection the broker lost in a crash
 * @param disconnectedAt when the last connection ended (epoch millis), 0 while connected
 * @param epoch incremented by every connection, so a timer set for one disconnection does
 *              nothing once the client came back
 */
public record SessionRecord(int protocolLevel, long expirySeconds, boolean connected, long disconnectedAt, long epoch) {

    /** The MQTT 5 session expiry interval that means "never" (0xFFFFFFFF). */
    public static final long NEVER = 0xFFFF_FFFFL;
    private static final int VERSION = 1;

    public SessionRecord disconnected(long at, long expiry) {
        return new SessionRecord(protocolLevel, expiry, false, at, epoch);
    }

    /** When a disconnected session ends, in epoch millis; {@link Long#MAX_VALUE} for never. */
    public long expiresAt() {
        return expirySeconds == NEVER ? Long.MAX_VALUE : disconnectedAt + expirySeconds * 1000;
    }

    public byte[] encode() {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeByte(protocolLevel);
            out.writeLong(expirySeconds);
            out.writeBoolean(connected);
            out.writeLong(disconnectedAt);
            out.writeLong(epoch);
        });
    }

    public static SessionRecord decode(byte[] value) {
        return Fields.decode(value, VERSION, in -> new SessionRecord(in.readUnsignedByte(), in.readLong(),
            in.readBoolean(), in.readLong(), in.readLong()));
    }
}
