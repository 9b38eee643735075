package net.lightqueue.mqtt.publish;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * PUBLISH packets from clients that were refused, by reason, for the broker's metrics; the
 * refusal itself (reason code or disconnect, and its log line) is the caller's. Shared by all
 * connections.
 */
public final class RefusedPublishes {

    /** Why a publish was refused, as the broker's metrics label it. */
    public enum Reason {
        /** It broke the protocol: malformed packet or property, invalid topic alias, payload not in its declared format. */
        MALFORMED("malformed"),
        /** The access control does not let the client publish to the topic. */
        ACL_DENIED("acl_denied"),
        /** No client may publish to the topic: invalid, reserved ({@code $SYS}, RocketMQ's own) or not mappable. */
        TOPIC_REFUSED("topic_refused"),
        /** The light-queue index cannot be written at the moment (a full disk): nothing new is taken on. */
        INDEX_UNAVAILABLE("index_unavailable"),
        /** Larger than mqttMaxPacketSize: refused before its body was read. */
        PACKET_TOO_LARGE("packet_too_large");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final LongAdder[] byReason = new LongAdder[Reason.values().length];

    public RefusedPublishes() {
        Arrays.setAll(byReason, reason -> new LongAdder());
    }

    public void refused(Reason reason) {
        byReason[reason.ordinal()].increment();
    }

    public long count(Reason reason) {
        return byReason[reason.ordinal()].sum();
    }
}
