package net.lightqueue.mqtt.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.RetainedPage;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.persistence.Fields;
import net.lightqueue.mqtt.persistence.ProgressRecord;

/**
 * The bodies of the peer protocol ({@link PeerCodes}): versioned, big-endian, with
 * length-prefixed strings, in the encoding of the state records.
 */
public final class PeerMessages {

    private static final int VERSION = 1;

    /** A subscription to add at a peer. */
    record FilterOptions(String filter, byte[] options) {
    }

    /** What a peer records of a session in one of its queues. */
    public record Position(String filter, long nextOffset, List<Pending> unacknowledged) {
    }

    /** An unacknowledged delivery from a peer's queue, with its message unless only PUBREL is owed. */
    public record Pending(ProgressRecord.Unacknowledged delivery, StoredMessage message) {
    }

    private PeerMessages() {
    }

    static byte[] subscribe(String clientId, List<FilterOptions> filters) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, clientId);
            out.writeInt(filters.size());
            for (FilterOptions filter : filters) {
                Fields.putString(out, filter.filter());
                Fields.putBytes(out, filter.options());
            }
        });
    }

    static Map.Entry<String, List<FilterOptions>> subscribe(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            String clientId = Fields.getString(in);
            int count = Fields.getCount(in, in.readInt(), 8);
            List<FilterOptions> filters = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                filters.add(new FilterOptions(Fields.getString(in), Fields.getBytes(in)));
            }
            return Map.entry(clientId, filters);
        });
    }

    /** A client id and a list of filters: UNSUBSCRIBE (one filter), UNSUBSCRIBE_ALL (none), OPEN. */
    static byte[] clientFilters(String clientId, List<String> filters) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, clientId);
            putStrings(out, filters);
        });
    }

    static Map.Entry<String, List<String>> clientFilters(byte[] body) {
        return Fields.decode(body, VERSION, in -> Map.entry(Fields.getString(in), getStrings(in)));
    }

    static byte[] positions(List<Position> positions) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeInt(positions.size());
            for (Position position : positions) {
                Fields.putString(out, position.filter());
                out.writeLong(position.nextOffset());
                out.writeInt(position.unacknowledged().size());
                for (Pending pending : position.unacknowledged()) {
                    ProgressRecord.Unacknowledged delivery = pending.delivery();
                    out.writeLong(delivery.offset());
                    out.writeShort(delivery.packetId());
                    out.writeByte(delivery.qos());
                    out.writeBoolean(delivery.released());
                    out.writeBoolean(pending.message() != null);
                    if (pending.message() != null) {
                        putMessage(out, pending.message());
                    }
                }
            }
        });
    }

    static Map<String, Position> positions(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            int count = Fields.getCount(in, in.readInt(), 16);
            Map<String, Position> positions = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String filter = Fields.getString(in);
                long nextOffset = in.readLong();
                int pendingCount = Fields.getCount(in, in.readInt(), 13);
                List<Pending> pending = new ArrayList<>(pendingCount);
                for (int j = 0; j < pendingCount; j++) {
                    ProgressRecord.Unacknowledged delivery = new ProgressRecord.Unacknowledged(in.readLong(),
                        in.readUnsignedShort(), in.readUnsignedByte(), in.readBoolean());
                    pending.add(new Pending(delivery, in.readBoolean() ? getMessage(in) : null));
                }
                positions.put(filter, new Position(filter, nextOffset, pending));
            }
            return positions;
        });
    }

    record Read(String filter, long fromOffset, int maxCount) {
    }

    static byte[] read(Read read) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, read.filter());
            out.writeLong(read.fromOffset());
            out.writeInt(read.maxCount());
        });
    }

    static Read read(byte[] body) {
        return Fields.decode(body, VERSION, in -> new Read(Fields.getString(in), in.readLong(), in.readInt()));
    }

    public static byte[] readResult(ReadResult result) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeLong(result.nextOffset());
            out.writeInt(result.skipped());
            out.writeInt(result.messages().size());
            for (StoredMessage message : result.messages()) {
                putMessage(out, message);
            }
        });
    }

    public static ReadResult readResult(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            long nextOffset = in.readLong();
            int skipped = in.readInt();
            int count = Fields.getCount(in, in.readInt(), 36);
            List<StoredMessage> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                messages.add(getMessage(in));
            }
            return new ReadResult(messages, nextOffset, skipped);
        });
    }

    /** A session's progress in a peer's queues; a null record removes it. */
    static byte[] progress(String clientId, Map<String, ProgressRecord> records) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, clientId);
            out.writeInt(records.size());
            for (Map.Entry<String, ProgressRecord> entry : records.entrySet()) {
                Fields.putString(out, entry.getKey());
                Fields.putBytes(out, entry.getValue() == null ? new byte[0] : entry.getValue().encode());
            }
        });
    }

    static Map.Entry<String, Map<String, ProgressRecord>> progress(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            String clientId = Fields.getString(in);
            int count = Fields.getCount(in, in.readInt(), 8);
            Map<String, ProgressRecord> records = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String filter = Fields.getString(in);
                byte[] record = Fields.getBytes(in);
                records.put(filter, record.length == 0 ? null : ProgressRecord.decode(record));
            }
            return Map.entry(clientId, records);
        });
    }

    /** A page of a peer's retained lookup: the topics matching {@code filter} after {@code after} (null: from the first). */
    record RetainedRequest(String filter, String after) {
    }

    static byte[] retainedRequest(RetainedRequest request) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, request.filter());
            putOptionalString(out, request.after());
        });
    }

    static RetainedRequest retainedRequest(byte[] body) {
        return Fields.decode(body, VERSION, in -> new RetainedRequest(Fields.getString(in), getOptionalString(in)));
    }

    static byte[] retainedPage(RetainedPage page) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            putOptionalString(out, page.next());
            out.writeInt(page.versions().size());
            for (RetainedVersion version : page.versions()) {
                Fields.putString(out, version.topic());
                out.writeLong(version.storeTimestamp());
                out.writeBoolean(version.cleared());
                if (!version.cleared()) {
                    putMessage(out, version.message());
                }
            }
        });
    }

    static RetainedPage retainedPage(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            String next = getOptionalString(in);
            int count = Fields.getCount(in, in.readInt(), 13);
            List<RetainedVersion> versions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = Fields.getString(in);
                long storeTimestamp = in.readLong();
                versions.add(new RetainedVersion(topic, storeTimestamp, in.readBoolean() ? null : getMessage(in)));
            }
            return new RetainedPage(versions, next);
        });
    }

    private static void putOptionalString(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            Fields.putString(out, text);
        }
    }

    private static String getOptionalString(DataInputStream in) throws IOException {
        return in.readBoolean() ? Fields.getString(in) : null;
    }

    /** Queue ends by filter: the arrival signals of one peer, coalesced. */
    static byte[] arrivals(Map<String, Long> ends) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeInt(ends.size());
            for (Map.Entry<String, Long> end : ends.entrySet()) {
                Fields.putString(out, end.getKey());
                out.writeLong(end.getValue());
            }
        });
    }

    static Map<String, Long> arrivals(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            int count = Fields.getCount(in, in.readInt(), 12);
            Map<String, Long> ends = new HashMap<>();
            for (int i = 0; i < count; i++) {
                ends.put(Fields.getString(in), in.readLong());
            }
            return ends;
        });
    }

    private static void putStrings(DataOutputStream out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String string : strings) {
            Fields.putString(out, string);
        }
    }

    private static List<String> getStrings(DataInputStream in) throws IOException {
        int count = Fields.getCount(in, in.readInt(), 4);
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(Fields.getString(in));
        }
        return strings;
    }

    private static void putMessage(DataOutputStream out, StoredMessage message) throws IOException {
        Fields.putString(out, message.mqttTopic());
        Fields.putBytes(out, message.body());
        out.writeInt(message.properties().size());
        for (Map.Entry<String, String> property : message.properties().entrySet()) {
            Fields.putString(out, property.getKey());
            Fields.putString(out, property.getValue());
        }
        out.writeLong(message.storeTimestamp());
        out.writeLong(message.queueOffset());
        out.writeLong(message.commitLogOffset());
    }

    private static StoredMessage getMessage(DataInputStream in) throws IOException {
        String topic = Fields.getString(in);
        byte[] body = Fields.getBytes(in);
        int count = Fields.getCount(in, in.readInt(), 8);
        Map<String, String> properties = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            properties.put(Fields.getString(in), Fields.getString(in));
        }
        return new StoredMessage(topic, body, properties, in.readLong(), in.readLong(), in.readLong());
    }
}
