package net.lightqueue.mqtt.connect;

import java.util.UUID;

/** Client identifiers the server assigns to clients that send an empty one. */
final class ClientIdentifiers {

    private static final String PREFIX = "auto-";

    private ClientIdentifiers() {
    }

    static String assign() {
        return PREFIX + UUID.randomUUID().toString().replace("-", "");
    }
}
