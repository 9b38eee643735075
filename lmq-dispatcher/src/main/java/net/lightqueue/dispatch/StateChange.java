package net.lightqueue.dispatch;

import java.util.Objects;

/**
 * One change of a protocol state family, written with {@link ProtocolState#writeState}.
 *
 * @param family one of the families the plugin declared in {@link LightQueueDispatcher#open}
 * @param key    the key, compared bytewise (scans visit keys in unsigned byte order)
 * @param value  the new value, or {@code null} to delete the key
 */
public record StateChange(String family, byte[] key, byte[] value) {

    public StateChange {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(key, "key");
    }

    public static StateChange put(String family, byte[] key, byte[] value) {
        return new StateChange(family, key, Objects.requireNonNull(value, "value"));
    }

    public static StateChange delete(String family, byte[] key) {
        return new StateChange(family, key, null);
    }

    public boolean isDelete() {
        return value == null;
    }
}
