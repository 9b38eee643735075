package net.lightqueue.host.peer;

/**
 * The master of another broker group of this broker's cluster that runs the plugin, or, from
 * {@link PeerNetwork#slaves()}, one of that group's slaves.
 *
 * @param brokerName the group's {@code brokerName}: stable across restarts and failover
 * @param address its remoting address, {@code host:port}
 */
public record Peer(String brokerName, String address) {
}
