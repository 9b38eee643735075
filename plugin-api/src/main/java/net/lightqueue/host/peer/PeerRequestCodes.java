package net.lightqueue.host.peer;

/**
 * The request codes of the peer protocol on the broker's remoting port: {@value #FIRST} to
 * {@value #LAST}, far above RocketMQ's own codes (which stay below a few thousand). The
 * directory owns {@link #PING}; plugins serve codes from {@value #FIRST_PLUGIN_CODE} on.
 */
public final class PeerRequestCodes {

    public static final int FIRST = 42_000;
    public static final int LAST = 42_099;

    /** Does this broker run the plugin host? Answered with an empty body. */
    public static final int PING = FIRST;

    public static final int FIRST_PLUGIN_CODE = FIRST + 1;

    private PeerRequestCodes() {
    }

    static void requirePluginCode(int requestCode) {
        if (requestCode < FIRST_PLUGIN_CODE || requestCode > LAST) {
            throw new IllegalArgumentException("peer request code " + requestCode + " is outside the plugins' range "
                + FIRST_PLUGIN_CODE + ".." + LAST);
        }
    }
}
