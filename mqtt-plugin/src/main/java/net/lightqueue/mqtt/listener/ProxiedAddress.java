package net.lightqueue.mqtt.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetSocketAddress;
import net.lightqueue.mqtt.connection.ClientAddress;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Takes the client address from the PROXY protocol header (decoded by the HAProxyMessageDecoder
 * before it) so logs and ACL checks see the client rather than the load balancer.
 */
final class ProxiedAddress extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.listener");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            // LOCAL (the balancer's own health check) and UNKNOWN carry no client address.
            if (header.command() == HAProxyCommand.PROXY && header.proxiedProtocol() != HAProxyProxiedProtocol.UNKNOWN
                && header.sourceAddress() != null) {
                ctx.channel().attr(ClientAddress.PROXIED).set(
                    new InetSocketAddress(header.sourceAddress(), header.sourcePort()));
            }
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HAProxyProtocolException) {
            LOG.info("mqtt connection from {} dropped: no valid PROXY protocol header (mqttProxyProtocol=true): {}",
                ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
