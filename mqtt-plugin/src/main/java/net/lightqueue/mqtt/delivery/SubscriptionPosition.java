package net.lightqueue.mqtt.delivery;

/**
 * What every {@link Cursor} holds the same way: the subscription's name, its options (a repeated
 * SUBSCRIBE replaces them and keeps the position [MQTT-3.8.4-3]) and where it stands.
 */
public abstract class SubscriptionPosition implements Cursor {

    private final String name;
    private SubscriptionOptions options;
    private long nextOffset;

    protected SubscriptionPosition(String name, SubscriptionOptions options, long startOffset) {
        this.name = name;
        this.options = options;
        this.nextOffset = startOffset;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final SubscriptionOptions options() {
        return options;
    }

    @Override
    public final void options(SubscriptionOptions replacement) {
        this.options = replacement;
    }

    @Override
    public final long nextOffset() {
        return nextOffset;
    }

    @Override
    public void advance(long next, boolean foundNothing) {
        nextOffset = next;
    }
}
