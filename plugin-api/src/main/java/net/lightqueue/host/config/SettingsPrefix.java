package net.lightqueue.host.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The key prefix a settings class owns in broker.conf. A key with this prefix that no
 * {@link Setting} declares is a typo and fails the start, instead of being ignored as the
 * broker ignores unknown keys.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SettingsPrefix {
    String value();
}
