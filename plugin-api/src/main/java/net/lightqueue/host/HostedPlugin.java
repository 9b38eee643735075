package net.lightqueue.host;

import net.lightqueue.host.spi.BrokerPlugin;

/** A discovered plugin with its context. */
record HostedPlugin(BrokerPlugin plugin, HostedPluginContext context) {

    String name() {
        return plugin.name();
    }
}
