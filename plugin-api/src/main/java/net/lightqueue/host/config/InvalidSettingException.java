package net.lightqueue.host.config;

/** A broker.conf value the plugin cannot run with; the message names key, value and what is allowed. */
public class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String message) {
        super(message);
    }

    public static InvalidSettingException of(String key, Object value, String allowed) {
        return new InvalidSettingException(key + "=" + value + " is invalid: " + allowed);
    }
}
