package net.lightqueue.bench;

import java.util.Locale;

/** How the run's topics begin: the first level is the RocketMQ topic a broker stores them under. */
enum FirstLevel {
    /** {@code <prefix>/<run>/<n>}: every topic of the run under one first level. */
    SHARED,
    /** {@code <prefix><n>/<run>}: each topic a first level of its own, as devices publishing to {@code <device>/telemetry}. */
    OWN;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
