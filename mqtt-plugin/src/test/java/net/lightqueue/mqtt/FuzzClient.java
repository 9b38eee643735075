package net.lightqueue.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.net.SocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client connection for the fuzz test, over any Netty transport (in-VM or TCP): it writes
 * bytes as they are and splits what the server sends into packets by their fixed header only,
 * so it understands any version and notices a server packet that is itself malformed.
 */
final class FuzzClient implements AutoCloseable {

    /** A packet from the server: its fixed header's type and flags, and its body. */
    record Frame(int type, int flags, byte[] body) {
        /** The reason code of a DISCONNECT (0 when the body is empty) or the return code of a CONNACK. */
        int code() {
            if (type == FuzzPackets.DISCONNECT) {
                return body.length == 0 ? 0 : body[0] & 0xFF;
            }
            return body.length < 2 ? -1 : body[1] & 0xFF;
        }

        /** The packet id of a QoS 1/2 PUBLISH, or 0. */
        int publishPacketId() {
            int qos = (flags >> 1) & 0x03;
            if (qos == 0 || body.length < 2) {
                return 0;
            }
            int at = 2 + ((body[0] & 0xFF) << 8 | body[1] & 0xFF);
            return at + 1 < body.length ? (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF : 0;
        }

        int qos() {
            return (flags >> 1) & 0x03;
        }
    }

    private static final Object CLOSED = new Object();

    private final Channel channel;
    private final BlockingQueue<Object> received;
    private boolean closed;

    private FuzzClient(Channel channel, BlockingQueue<Object> received) {
        this.channel = channel;
        this.received = received;
    }

    static FuzzClient connect(Bootstrap bootstrap, SocketAddress server) throws InterruptedException {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        Channel channel = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new FrameSplitter(received));
            }
        }).connect(server).sync().channel();
        return new FuzzClient(channel, received);
    }

    void send(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
    }

    /**
     * The next packet from the server, or null once it closed the connection.
     *
     * @throws AssertionError if the server neither sends nor closes within the timeout (a hang)
     */
    Frame next(long timeoutMillis) throws InterruptedException {
        if (closed) {
            return null;
        }
        Object next = received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("the server neither answered nor closed the connection within " + timeoutMillis + " ms");
        }
        if (next == CLOSED) {
            closed = true;
            return null;
        }
        if (next instanceof AssertionError malformed) {
            throw malformed;
        }
        return (Frame) next;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Splits the server's bytes into packets by their fixed header. */
    private static final class FrameSplitter extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Object> received;
        private ByteBuf pending = Unpooled.buffer();
        private boolean broken;

        FrameSplitter(BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            pending.writeBytes(bytes);
            bytes.release();
            while (!broken && split()) {
                pending.discardReadBytes();
            }
        }

        private boolean split() {
            pending.markReaderIndex();
            if (pending.readableBytes() < 2) {
                return false;
            }
            int first = pending.readUnsignedByte();
            int length = 0;
            for (int i = 0; ; i++) {
                if (!pending.isReadable()) {
                    pending.resetReaderIndex();
                    return false;
                }
                int digit = pending.readUnsignedByte();
                length |= (digit & 0x7F) << (7 * i);
                if ((digit & 0x80) == 0) {
                    break;
                }
                if (i == 3) {
                    broken = true;
                    received.add(new AssertionError("the server sent a remaining length of 5 bytes"));
                    return false;
                }
            }
            if (pending.readableBytes() < length) {
                pending.resetReaderIndex();
                return false;
            }
            byte[] body = new byte[length];
            pending.readBytes(body);
            received.add(new Frame(first >> 4, first & 0x0F, body));
            return true;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.release();
            received.add(CLOSED);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset by the server is one way of closing
        }
    }
}
