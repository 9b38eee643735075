package net.lightqueue.it.mqtt;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An MQTT 3.1.1 QoS 2 subscriber on a plain socket, for what Paho does not show: it keeps the
 * receiver's side of the QoS 2 flow across reconnects as [MQTT-4.3.3-10] describes (Method B: a
 * packet id is "received" from its PUBLISH until its PUBREL; a PUBLISH with such an id is
 * acknowledged again, not delivered again), and it sees which PUBREL came for which message.
 */
final class RawQos2Subscriber implements AutoCloseable {

    private final int port;
    private final String clientId;
    /** What the application got, in order. */
    final List<String> delivered = new CopyOnWriteArrayList<>();
    /** PUBLISH packets of messages whose PUBREL this client had already received: the broker must never send one. */
    final List<String> publishedAfterRelease = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> received = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private volatile Socket socket;

    private RawQos2Subscriber(int port, String clientId) {
        this.port = port;
        this.clientId = clientId;
    }

    /** Connects with a persistent session (clean session 0) and subscribes {@code filter} at QoS 2. */
    static RawQos2Subscriber subscribe(int port, String clientId, String filter) throws IOException {
        RawQos2Subscriber subscriber = new RawQos2Subscriber(port, clientId);
        subscriber.connect();
        byte[] topic = utf8(filter);
        byte[] body = new byte[2 + 2 + topic.length + 1];
        body[1] = 1; // packet id 1
        put16(body, 2, topic.length);
        System.arraycopy(topic, 0, body, 4, topic.length);
        body[body.length - 1] = 2;
        subscriber.send(0x82, body);
        return subscriber;
    }

    /** Connects again; the session and this side's QoS 2 state carry on. Returns CONNACK's session present. */
    boolean connect() throws IOException {
        Socket next = new Socket("127.0.0.1", port);
        next.setSoTimeout(60_000);
        byte[] id = utf8(clientId);
        byte[] connect = new byte[10 + 2 + id.length];
        byte[] header = {0, 4, 'M', 'Q', 'T', 'T', 4, 0, 0, 0}; // MQTT 3.1.1, clean session 0, keep alive 0
        System.arraycopy(header, 0, connect, 0, header.length);
        put16(connect, 10, id.length);
        System.arraycopy(id, 0, connect, 12, id.length);
        socket = next;
        send(0x10, connect);
        DataInputStream in = new DataInputStream(next.getInputStream());
        int type = in.readUnsignedByte();
        byte[] connack = new byte[readLength(in)];
        in.readFully(connack);
        if (type != 0x20 || connack[1] != 0) {
            throw new IOException(clientId + " refused: CONNACK " + Integer.toHexString(type) + " code " + connack[1]);
        }
        Thread reader = new Thread(() -> read(in), "raw-qos2-" + clientId);
        reader.setDaemon(true);
        reader.start();
        return (connack[0] & 1) == 1;
    }

    private void read(DataInputStream in) {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                byte[] body = new byte[readLength(in)];
                in.readFully(body);
                switch (first >> 4) {
                    case 3 -> publish(first, body);
                    case 6 -> {
                        int packetId = get16(body, 0);
                        String message = received.remove(packetId);
                        if (message != null) {
                            released.add(message);
                        }
                        send(0x70, new byte[] {body[0], body[1]}); // PUBCOMP
                    }
                    default -> {
                        // SUBACK, PINGRESP
                    }
                }
            }
        } catch (IOException e) {
            // the broker went away (killed, or this side closed): the test reconnects
        }
    }

    private void publish(int first, byte[] body) throws IOException {
        int qos = (first >> 1) & 3;
        int topicLength = get16(body, 0);
        int packetId = qos > 0 ? get16(body, 2 + topicLength) : 0;
        int payloadStart = 2 + topicLength + (qos > 0 ? 2 : 0);
        String message = new String(body, payloadStart, body.length - payloadStart, StandardCharsets.UTF_8);
        if (released.contains(message)) {
            publishedAfterRelease.add(message);
        }
        if (qos == 2) {
            if (received.putIfAbsent(packetId, message) == null) {
                delivered.add(message);
            }
            send(0x50, new byte[] {(byte) (packetId >> 8), (byte) packetId}); // PUBREC
        } else {
            delivered.add(message);
            if (qos == 1) {
                send(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId});
            }
        }
    }

    /** How often each message was delivered to the application, for those delivered more than once. */
    Map<String, Integer> duplicates() {
        Map<String, Integer> counts = new HashMap<>();
        delivered.forEach(message -> counts.merge(message, 1, Integer::sum));
        counts.values().removeIf(count -> count == 1);
        return counts;
    }

    private synchronized void send(int type, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(type);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.write(body);
        out.flush();
    }

    private static int readLength(DataInputStream in) throws IOException {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                return length;
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void put16(byte[] into, int at, int value) {
        into[at] = (byte) (value >> 8);
        into[at + 1] = (byte) value;
    }

    private static int get16(byte[] from, int at) {
        return (from[at] & 0xFF) << 8 | from[at + 1] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        Socket last = socket;
        if (last != null) {
            last.close();
        }
    }
}
