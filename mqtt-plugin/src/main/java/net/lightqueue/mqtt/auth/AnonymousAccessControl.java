package net.lightqueue.mqtt.auth;

/**
 * Used when the broker's authentication is off: nothing is verified; with anonymous access
 * disabled a client must at least name a user, which then shows in the logs and in the
 * messages it publishes.
 */
public final class AnonymousAccessControl implements AccessControl {

    private final boolean allowAnonymous;

    public AnonymousAccessControl(boolean allowAnonymous) {
        this.allowAnonymous = allowAnonymous;
    }

    @Override
    public Outcome authenticate(String clientId, String username, byte[] password, String sourceIp) {
        return allowAnonymous || username != null ? Outcome.ALLOWED : Outcome.NOT_AUTHORIZED;
    }

    @Override
    public String summary() {
        return allowAnonymous
            ? "anonymous access ON: any client may connect, publish and subscribe (broker authentication is off)"
            : "clients must send a user name (mqttAllowAnonymous=false), which is not verified: broker authentication is off";
    }

    @Override
    public boolean mayPublish(Client client, String rocketmqTopic) {
        return true;
    }

    @Override
    public boolean maySubscribe(Client client, String rocketmqTopic) {
        return true;
    }
}
