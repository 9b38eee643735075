package net.lightqueue.dispatch;

import java.util.Set;

/**
 * The families of the index that hold the protocol plugin's own state (sessions and the like).
 * Their content is opaque to the dispatcher; like everything in the index it changes only
 * through events in the commitlog ({@link LightQueues#writeState}), so it survives restarts and
 * crashes and a slave builds the same.
 */
public final class StateFamilies {

    public static final String SESSIONS = "sessions";
    public static final String PROGRESS = "progress";
    public static final String WILLS = "wills";
    public static final String SHARED = "shared";

    public static final Set<String> ALL = Set.of(SESSIONS, PROGRESS, WILLS, SHARED);

    private StateFamilies() {
    }

    /** @throws IllegalArgumentException if {@code family} is not one of {@link #ALL} */
    public static void require(String family) {
        if (!ALL.contains(family)) {
            throw new IllegalArgumentException("unknown state family '" + family + "'; the protocol state families are "
                + ALL.stream().sorted().toList());
        }
    }
}
