package net.lightqueue.it.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Reads a stopped broker's commitlog files directly: the ground truth that the light-queue
 * index is derived from.
 */
final class CommitLogScan {

    private static final int MESSAGE_MAGIC_CODE = -626843481;

    /** A message of the commitlog with its MQTT topic (the originMqttTopic property, if any). */
    record Stored(long commitLogOffset, String topic, String mqttTopic, String body) {
    }

    private CommitLogScan() {
    }

    static List<Stored> messages(Path commitLogDir) throws IOException {
        List<Stored> messages = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(commitLogDir)) {
            files = list.sorted().toList();
        }
        for (Path file : files) {
            long fileOffset = Long.parseLong(file.getFileName().toString());
            try (FileChannel channel = FileChannel.open(file)) {
                ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                while (buffer.remaining() >= 8) {
                    int position = buffer.position();
                    int size = buffer.getInt(position);
                    if (size <= 0 || buffer.getInt(position + 4) != MESSAGE_MAGIC_CODE) {
                        break;
                    }
                    MessageExt message = MessageDecoder.decode(buffer.slice(position, size), true, true);
                    messages.add(new Stored(fileOffset + position, message.getTopic(),
                        message.getUserProperty("originMqttTopic"),
                        new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8)));
                    buffer.position(position + size);
                }
            }
        }
        return messages;
    }
}
