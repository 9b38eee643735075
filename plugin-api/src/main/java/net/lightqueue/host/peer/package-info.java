/**
 * The peer network: the masters of the other broker groups of this broker's cluster that run
 * the plugin host, and request/response calls to them over the broker's own remoting port.
 *
 * <p>Membership: every few seconds the directory asks the name server for the cluster
 * ({@code brokerClusterName}) and takes the master ({@code brokerId=0}) of every other
 * {@code brokerName}. A candidate becomes a peer once it answers {@link
 * net.lightqueue.host.peer.PeerRequestCodes#PING}; one that answers "request code not supported"
 * does not run the plugin host and is asked again at later refreshes. A peer leaves when the
 * name server stops listing it (a broker unregisters when it shuts down, and the name server
 * drops one whose connection closed or that stopped sending heartbeats) or when its group's
 * master moved to another address (then the new address joins). A failed lookup, or an answer
 * that does not list this broker itself (a name server that restarted and has not heard from
 * the brokers again), keeps the last known peers; a call to a peer that no longer answers fails
 * on its own timeout meanwhile. The same lookup lists the other groups' slaves ({@code brokerId >
 * 0}): they are not peers and are not pinged; a plugin may read a group's replicated state there.
 *
 * <p>Request codes: {@value net.lightqueue.host.peer.PeerRequestCodes#FIRST} to
 * {@value net.lightqueue.host.peer.PeerRequestCodes#LAST}; see {@link
 * net.lightqueue.host.peer.PeerRequestCodes}. The body is the request's bytes, the caller's
 * {@code brokerName} travels in the ext field {@code lightqueuePeerFrom}, and an error answer
 * carries the handler's failure as its remark.
 */
package net.lightqueue.host.peer;
