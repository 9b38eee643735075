package net.lightqueue.mqtt.auth;

/**
 * Who may connect, and which RocketMQ topics they may publish to and subscribe to: the RocketMQ
 * topic of an MQTT topic is its first level as {@code RocketTopicNames} maps it.
 */
public interface AccessControl {

    enum Outcome { ALLOWED, BAD_CREDENTIALS, NOT_AUTHORIZED }

    /** @param password null when the client sent none */
    Outcome authenticate(String clientId, String username, byte[] password, String sourceIp);

    /** @param username null for an anonymous client */
    boolean mayPublish(String username, String rocketmqTopic, String sourceIp);

    /** @param rocketmqTopic null when the filter's first level is a wildcard (any topic) */
    boolean maySubscribe(String username, String rocketmqTopic, String sourceIp);
}
