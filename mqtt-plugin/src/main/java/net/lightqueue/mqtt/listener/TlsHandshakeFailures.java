package net.lightqueue.mqtt.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import net.lightqueue.mqtt.connection.ClientAddress;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Closes connections whose TLS handshake fails (plaintext clients, port scanners, untrusted
 * client certificates) with a debug line only, then leaves the pipeline once the handshake is done.
 */
final class TlsHandshakeFailures extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.listener");

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                failed(ctx, completion.cause());
                return;
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(ctx, cause);
    }

    private static void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isOpen()) {
            LOG.debug("mqtt TLS handshake with {} failed: {}", ClientAddress.of(ctx.channel()), String.valueOf(cause));
            ctx.close();
        }
    }
}
