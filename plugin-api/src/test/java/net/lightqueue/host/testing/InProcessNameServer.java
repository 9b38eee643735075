package net.lightqueue.host.testing;

import java.nio.file.Path;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;

/** A real RocketMQ name server in this JVM on a free loopback port, its files in a directory of the test's. */
public final class InProcessNameServer implements AutoCloseable {

    private final NamesrvController controller;

    private InProcessNameServer(NamesrvController controller) {
        this.controller = controller;
    }

    public static InProcessNameServer start(Path dir) throws Exception {
        NamesrvConfig config = new NamesrvConfig();
        config.setKvConfigPath(dir.resolve("kvConfig.json").toString());
        config.setConfigStorePath(dir.resolve("namesrv.properties").toString());
        NettyServerConfig server = new NettyServerConfig();
        server.setBindAddress("127.0.0.1");
        server.setListenPort(0);
        NamesrvController controller = new NamesrvController(config, server, new NettyClientConfig());
        if (!controller.initialize()) {
            throw new IllegalStateException("the name server failed to initialize in " + dir);
        }
        controller.start();
        return new InProcessNameServer(controller);
    }

    /** The value of a broker's {@code namesrvAddr}. */
    public String address() {
        return "127.0.0.1:" + controller.getRemotingServer().localListenPort();
    }

    @Override
    public void close() {
        controller.shutdown();
    }
}
