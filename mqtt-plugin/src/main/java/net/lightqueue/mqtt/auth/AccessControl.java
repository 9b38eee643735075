package net.lightqueue.mqtt.auth;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who may connect, and which RocketMQ topics they may publish to and subscribe to. Topics are
 * always the RocketMQ topic a message is stored in (its first level as {@code RocketTopicNames}
 * maps it), so the broker's topic ACLs mean the same for MQTT and RocketMQ clients.
 */
public interface AccessControl {

    enum Outcome { ALLOWED, BAD_CREDENTIALS, NOT_AUTHORIZED }

    /** @param password null when the client sent none */
    Outcome authenticate(String clientId, String username, byte[] password, String sourceIp);

    /** @param client who asks, for the log line of a denial */
    boolean mayPublish(Client client, String rocketmqTopic);

    /**
     * @param rocketmqTopic null when the filter's first level is a wildcard: then the user needs
     *                      permission on every topic
     */
    boolean maySubscribe(Client client, String rocketmqTopic);

    /** What is enforced, in words for the start log line. */
    String summary();

    /** Who asks: a connected client, or one whose CONNECT is being checked. */
    final class Client {
        private final String clientId;
        private final String username;
        private final SocketAddress address;
        /**
         * Written by the first ACL check, which then asks on every PUBLISH; with authorization
         * off it is never made (56 bytes a connection). Threads that race write the same text.
         */
        private String sourceIp;

        /**
         * @param username null for an anonymous client
         * @param address  where the client connects from (a PROXY header's address, if one came)
         */
        public Client(String clientId, String username, SocketAddress address) {
            this.clientId = clientId;
            this.username = username;
            this.address = address;
        }

        public String clientId() {
            return clientId;
        }

        public String username() {
            return username;
        }

        public String sourceIp() {
            String ip = sourceIp;
            if (ip == null) {
                ip = ipOf(address);
                sourceIp = ip;
            }
            return ip;
        }

        /** The IP address in text; other kinds of address (in-VM channels) as they print. */
        public static String ipOf(SocketAddress address) {
            return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
        }
    }
}
