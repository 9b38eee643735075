package net.lightqueue.mqtt.persistence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The field encoding shared by the state records and the peer protocol: big-endian numbers, and length-prefixed
 * byte strings (a 32-bit length, so user properties of any size fit). Each record starts
 * with a version byte so its format can grow.
 */
public final class Fields {

    /** Writes one record. */
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads one record. */
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private Fields() {
    }

    public static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws MalformedRecordException if the value is cut short, inconsistent or of another version */
    public static <T> T decode(byte[] value, int version, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int found = in.readUnsignedByte();
            if (found != version) {
                throw new MalformedRecordException("state record of version " + found + ", this broker reads " + version);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new MalformedRecordException("truncated state record of " + value.length + " bytes", e);
        }
    }

    /**
     * A count of entries that take at least {@code minBytesEach}, checked against what is left
     * of the record, so a corrupt count cannot make the reader allocate for it.
     */
    public static int getCount(DataInputStream in, int count, int minBytesEach) throws IOException {
        if (count < 0 || count > in.available() / minBytesEach) {
            throw new MalformedRecordException("count " + count + " exceeds the state record");
        }
        return count;
    }

    public static void putBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static byte[] getBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[getCount(in, in.readInt(), 1)];
        in.readFully(bytes);
        return bytes;
    }

    public static void putString(DataOutputStream out, String text) throws IOException {
        putBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    public static String getString(DataInputStream in) throws IOException {
        return new String(getBytes(in), StandardCharsets.UTF_8);
    }
}
