package net.lightqueue.host.peer;

import com.alibaba.fastjson2.JSON;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.lightqueue.host.log.OncePerKey;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Who may use the peer request codes: the brokers of this cluster, not anything else that
 * reaches the broker's remoting port (a RocketMQ client does). A peer request changes sessions
 * and progress, so a forged one would forge MQTT state.
 * <ul>
 *   <li>With broker authentication on and {@code innerClientAuthenticationCredentials} set, a
 *   request must be signed with those inner credentials. The broker's own request pipeline
 *   checked the signature before the request got here; this checks whose it is.</li>
 *   <li>Otherwise the request must come from an address the name server lists for a broker of
 *   this cluster, and from one of the group it names as its sender.</li>
 * </ul>
 */
final class PeerCallers {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.host.peer.PeerCallers");
    /** A route older than this is looked up again before an unknown address counts as a stranger. */
    private static final long FRESH_ROUTE_MILLIS = 1_000;

    private final String clusterName;
    /** The inner credentials' access key, or null when requests are checked by address. */
    private final String innerAccessKey;
    private final OncePerKey loggedRefusals = new OncePerKey(1_000);
    private volatile Map<String, Set<InetAddress>> addressesByGroup = Map.of();
    private volatile long routeTakenAtMillis;
    private volatile Runnable refreshSoon = () -> { };

    PeerCallers(String clusterName, AuthConfig auth) {
        this.clusterName = clusterName;
        this.innerAccessKey = innerAccessKey(auth);
        if (auth != null && auth.isAuthenticationEnabled() && innerAccessKey == null) {
            LOG.warn("broker authentication is on but innerClientAuthenticationCredentials is not set: the brokers of"
                + " cluster {} cannot sign their peer requests, so they refuse each other's", clusterName);
        }
    }

    /** What runs when an unknown address calls and the route is not fresh: a lookup on the name server. */
    void refreshWith(Runnable refreshSoon) {
        this.refreshSoon = refreshSoon;
    }

    /** The brokers of this cluster by group, every address of each, as the name server listed them just now. */
    void routeTaken(Map<String, ? extends Collection<String>> brokerAddressesByGroup) {
        Map<String, Set<InetAddress>> byGroup = new HashMap<>();
        brokerAddressesByGroup.forEach((group, addresses) -> {
            Set<InetAddress> hosts = new HashSet<>();
            for (String address : addresses) {
                InetAddress host = host(address);
                if (host != null) {
                    hosts.add(host);
                }
            }
            byGroup.put(group, Set.copyOf(hosts));
        });
        addressesByGroup = Map.copyOf(byGroup);
        routeTakenAtMillis = System.currentTimeMillis();
    }

    /** Null when the request may be served; otherwise why not, for the caller's remark. */
    String refusal(int requestCode, String from, SocketAddress remote, Map<String, String> extFields) {
        if (from == null) {
            return "the request does not name the calling broker";
        }
        if (innerAccessKey != null) {
            String accessKey = extFields == null ? null : extFields.get(SessionCredentials.ACCESS_KEY);
            if (innerAccessKey.equals(accessKey)) {
                return null;
            }
            return refuse(requestCode, from, remote, "it is not signed with this cluster's inner credentials");
        }
        InetAddress caller = remote instanceof InetSocketAddress socket ? socket.getAddress() : null;
        Set<InetAddress> group = addressesByGroup.get(from);
        if (caller != null && group != null && group.contains(caller)) {
            return null;
        }
        if (System.currentTimeMillis() - routeTakenAtMillis > FRESH_ROUTE_MILLIS) {
            // A broker that registered a moment ago: refused this once, admitted after the lookup.
            refreshSoon.run();
            return "broker " + from + " at " + remote + " is not listed in cluster " + clusterName + " yet";
        }
        return refuse(requestCode, from, remote, "the name server lists no broker of group " + from + " in cluster "
            + clusterName + " at that address");
    }

    private String refuse(int requestCode, String from, SocketAddress remote, String why) {
        String address = remote instanceof InetSocketAddress socket ? socket.getAddress().getHostAddress() : "?";
        if (loggedRefusals.first(address)) {
            LOG.warn("refused peer request {} from {} claiming to be broker {}: {}. Only the brokers of cluster {}"
                + " may send peer requests; a broker of the cluster is accepted from the address it registers"
                + " (brokerIP1) or, with authentication on, by its innerClientAuthenticationCredentials (logged once"
                + " per address)", requestCode, address, from, why, clusterName);
        }
        return "refused: " + why;
    }

    private static InetAddress host(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            LOG.debug("cannot resolve the broker address {}: {}", address, e.toString());
            return null;
        }
    }

    private static String innerAccessKey(AuthConfig auth) {
        if (auth == null || !auth.isAuthenticationEnabled() || auth.getInnerClientAuthenticationCredentials() == null
            || auth.getInnerClientAuthenticationCredentials().isBlank()) {
            return null;
        }
        SessionCredentials inner = JSON.parseObject(auth.getInnerClientAuthenticationCredentials(),
            SessionCredentials.class);
        String accessKey = inner == null ? null : inner.getAccessKey();
        return accessKey == null || accessKey.isBlank() ? null : accessKey;
    }
}
