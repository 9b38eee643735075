package net.lightqueue.mqtt.persistence;

import java.util.Set;

/**
 * The dispatcher's protocol state families that hold the MQTT sessions, declared when the plugin
 * opens the dispatcher. Keys and values are laid out by {@link StateKeys} and the records of this
 * package.
 */
public final class StateFamilies {

    /** Per client: its {@link SessionRecord}. */
    public static final String SESSIONS = "sessions";
    /** Per client and filter: its {@link ProgressRecord}; per client and packet id: a received QoS 2 publish. */
    public static final String PROGRESS = "progress";
    /** Per client: its {@link WillRecord}. */
    public static final String WILLS = "wills";
    /** Shared subscription groups: members and their {@link GroupCursorRecord}. */
    public static final String SHARED = "shared";

    public static final Set<String> ALL = Set.of(SESSIONS, PROGRESS, WILLS, SHARED);

    private StateFamilies() {
    }
}
