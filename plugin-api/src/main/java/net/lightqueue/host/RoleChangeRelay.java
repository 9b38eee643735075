package net.lightqueue.host;

import java.util.List;
import java.util.Map;
import org.apache.rocketmq.broker.plugin.BrokerAttachedPlugin;

/**
 * The broker tells attached plugins when it becomes master or slave (once at start, then on
 * every role change); this passes that on to the hosted plugins. Everything else is handled
 * through the store lifecycle, so the other callbacks do nothing.
 */
final class RoleChangeRelay implements BrokerAttachedPlugin {

    private final List<HostedPlugin> plugins;

    RoleChangeRelay(List<HostedPlugin> plugins) {
        this.plugins = plugins;
    }

    @Override
    public String pluginName() {
        return "lightqueue-role-relay";
    }

    @Override
    public void statusChanged(boolean shouldStart) {
        for (HostedPlugin hosted : plugins) {
            hosted.plugin().roleChanged(shouldStart);
        }
    }

    @Override
    public boolean load() {
        return true;
    }

    @Override
    public void start() {
    }

    @Override
    public void shutdown() {
    }

    @Override
    public void syncMetadata() {
    }

    @Override
    public void syncMetadataReverse(String brokerAddr) {
    }

    @Override
    public void buildRuntimeInfo(Map<String, String> runtimeInfo) {
    }
}
