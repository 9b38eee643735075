package net.lightqueue.host.config;

/** Settings with rules that span several keys, checked after every key is bound. */
public interface ValidatedSettings {

    /** @throws InvalidSettingException naming the keys and the rule */
    void validate();
}
