package net.lightqueue.host.peer;

import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.common.ThreadFactoryImpl;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.remoting.RemotingServer;
import org.apache.rocketmq.remoting.metrics.RemotingMetricsManager;
import org.apache.rocketmq.remoting.netty.NettyRemotingAbstract;
import org.apache.rocketmq.remoting.netty.NettyRequestProcessor;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode;

/**
 * Serves peer request codes on the broker's remoting servers. A handler's future answers
 * later: the processor returns no response and writes the answer when the future completes,
 * the way the broker's own asynchronous processors (pull, pop) do.
 */
final class PeerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.host.peer.PeerServer");
    private static final byte[] EMPTY = new byte[0];
    private static final int THREADS = 2;
    /** Requests waiting for a thread; beyond that the remoting layer answers "system busy". */
    private static final int QUEUE = 10_000;

    private final List<RemotingServer> servers = new ArrayList<>();
    private final RemotingMetricsManager metrics;
    private final PeerCallers callers;
    private final Set<Integer> served = new HashSet<>();
    private final ExecutorService executor = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.MINUTES,
        new LinkedBlockingQueue<>(QUEUE), new ThreadFactoryImpl("lightqueue-peer-handler-", true));

    /** {@code fastServer} may be null (the broker runs without its fast port). */
    PeerServer(RemotingServer server, RemotingServer fastServer, RemotingMetricsManager metrics, PeerCallers callers) {
        servers.add(server);
        if (fastServer != null) {
            servers.add(fastServer);
        }
        this.metrics = metrics;
        this.callers = callers;
    }

    synchronized void handle(int requestCode, PeerHandler handler) {
        if (!served.add(requestCode)) {
            throw new IllegalStateException("peer request code " + requestCode + " is already served");
        }
        Processor processor = new Processor(handler);
        for (RemotingServer server : servers) {
            server.registerProcessor(requestCode, processor, executor);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    private final class Processor implements NettyRequestProcessor {

        private final PeerHandler handler;

        Processor(PeerHandler handler) {
            this.handler = handler;
        }

        @Override
        public RemotingCommand processRequest(ChannelHandlerContext ctx, RemotingCommand request) {
            String from = request.getExtFields() == null ? null : request.getExtFields().get(PeerClient.FROM_BROKER);
            String refusal = callers.refusal(request.getCode(), from, ctx.channel().remoteAddress(),
                request.getExtFields());
            CompletableFuture<byte[]> answer;
            if (refusal != null) {
                answer = CompletableFuture.failedFuture(new RefusedCaller(refusal));
            } else {
                try {
                    answer = handler.handle(from, request.getBody() == null ? EMPTY : request.getBody());
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
            }
            answer.whenComplete((body, failure) -> {
                RemotingCommand response = failure == null ? success(body) : error(request, from, failure);
                NettyRemotingAbstract.writeResponse(ctx.channel(), request, response, null, metrics);
            });
            return null;
        }

        @Override
        public boolean rejectRequest() {
            return false;
        }
    }

    private static RemotingCommand success(byte[] body) {
        RemotingCommand response = RemotingCommand.createResponseCommand(RemotingSysResponseCode.SUCCESS, null);
        response.setBody(body);
        return response;
    }

    private static RemotingCommand error(RemotingCommand request, String from, Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        String remark = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        LOG.debug("peer request {} from {} failed: {}", request.getCode(), from, remark);
        int code = cause instanceof RefusedCaller ? ResponseCode.NO_PERMISSION : RemotingSysResponseCode.SYSTEM_ERROR;
        return RemotingCommand.createResponseCommand(code, remark);
    }

    /** A caller that is not a broker of this cluster: answered with "no permission", the handler never runs. */
    private static final class RefusedCaller extends RuntimeException {
        RefusedCaller(String why) {
            super(why, null, false, false);
        }
    }
}
