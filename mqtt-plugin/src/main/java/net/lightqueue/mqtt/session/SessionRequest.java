package net.lightqueue.mqtt.session;

import net.lightqueue.mqtt.persistence.WillRecord;

/**
 * What an accepted CONNECT asks of its session.
 *
 * @param expirySeconds the session expiry in force (capped; v3: 0 for clean session 1)
 * @param will the will to hold while connected, or null
 */
public record SessionRequest(String clientId, int protocolLevel, boolean cleanStart, long expirySeconds,
                             WillRecord will) {
}
