package net.lightqueue.host.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a settings class as a broker.conf key: the key is the field's name (so the
 * broker's {@code mqadmin getBrokerConfig} shows the effective value under the same key) and
 * the field's initial value is the default. Supported types: int, long, double, boolean,
 * String and enums.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Setting {

    /** One line for operators: what it does and in which unit. */
    String description();

    /** Smallest allowed value of a numeric setting. */
    long min() default Long.MIN_VALUE;

    /** Largest allowed value of a numeric setting. */
    long max() default Long.MAX_VALUE;
}
