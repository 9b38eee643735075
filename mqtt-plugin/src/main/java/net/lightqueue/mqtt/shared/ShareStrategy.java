package net.lightqueue.mqtt.shared;

/** How a shared subscription's group picks the member that gets the next message. */
public enum ShareStrategy {
    /** Each message to the next member in turn that has room in its window. */
    ROUND_ROBIN,
    /** Every message to one member while it stays; another is picked only when it leaves. */
    STICKY;

    /** As written in broker.conf. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
