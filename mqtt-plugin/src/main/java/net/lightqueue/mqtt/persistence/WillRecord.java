package net.lightqueue.mqtt.persistence;

import java.util.HashMap;
import java.util.Map;

/**
 * A client's will as received in CONNECT (family "wills", key = client id), with its bytes:
 * a will may wait longer than commitlog retention keeps anything.
 *
 * @param properties the RocketMQ properties the will is published with (QoS, retain and the
 *                   MQTT 5 will properties in their stored form)
 * @param delaySeconds the MQTT 5 Will Delay Interval (0 for v3)
 */
public record WillRecord(String topic, byte[] payload, Map<String, String> properties, long delaySeconds) {

    private static final int VERSION = 1;

    public byte[] encode() {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, topic);
            Fields.putBytes(out, payload);
            out.writeLong(delaySeconds);
            out.writeInt(properties.size());
            for (Map.Entry<String, String> property : properties.entrySet()) {
                Fields.putString(out, property.getKey());
                Fields.putString(out, property.getValue());
            }
        });
    }

    public static WillRecord decode(byte[] value) {
        return Fields.decode(value, VERSION, in -> {
            String topic = Fields.getString(in);
            byte[] payload = Fields.getBytes(in);
            long delay = in.readLong();
            int count = Fields.getCount(in, in.readInt(), 2 * Integer.BYTES);
            Map<String, String> properties = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                properties.put(Fields.getString(in), Fields.getString(in));
            }
            return new WillRecord(topic, payload, properties, delay);
        });
    }
}
