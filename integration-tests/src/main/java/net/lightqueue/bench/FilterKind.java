package net.lightqueue.bench;

import java.util.Locale;

enum FilterKind {
    /** Each subscriber subscribes to one topic by its exact name. */
    EXACT,
    /** Each subscriber subscribes to one '+' filter covering every topic of the run. */
    WILDCARD;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
