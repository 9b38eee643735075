package net.lightqueue.mqtt.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.lightqueue.host.log.OncePerKey;
import org.apache.rocketmq.acl.common.AclSigner;
import org.apache.rocketmq.auth.authentication.AuthenticationEvaluator;
import org.apache.rocketmq.auth.authentication.context.DefaultAuthenticationContext;
import org.apache.rocketmq.auth.authentication.factory.AuthenticationFactory;
import org.apache.rocketmq.auth.authentication.model.User;
import org.apache.rocketmq.auth.authorization.AuthorizationEvaluator;
import org.apache.rocketmq.auth.authorization.context.DefaultAuthorizationContext;
import org.apache.rocketmq.auth.authorization.factory.AuthorizationFactory;
import org.apache.rocketmq.auth.authorization.model.Resource;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.common.action.Action;
import org.apache.rocketmq.common.resource.ResourcePattern;
import org.apache.rocketmq.common.resource.ResourceType;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The broker's own ACL 2.0: MQTT username and password are checked against the broker's
 * users (managed with mqadmin), publish and subscribe against its topic ACLs. The password
 * is never sent anywhere: the broker's authenticator verifies a signature, so one is computed
 * here from the password over the client id, exactly as a RocketMQ client signs a request.
 * Every publish and subscribe is evaluated when it happens, so an ACL change applies to live
 * connections; denials are logged once per client, action and topic.
 */
public final class BrokerAccessControl implements AccessControl {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.auth");

    private final AuthenticationEvaluator authentication;
    private final AuthorizationEvaluator authorization;
    private final OncePerKey loggedDenials = new OncePerKey(10_000);

    public BrokerAccessControl(AuthConfig config) {
        this.authentication = AuthenticationFactory.getEvaluator(config);
        this.authorization = config.isAuthorizationEnabled() ? AuthorizationFactory.getEvaluator(config) : null;
    }

    @Override
    public Outcome authenticate(String clientId, String username, byte[] password, String sourceIp) {
        if (username == null || password == null) {
            return Outcome.NOT_AUTHORIZED;
        }
        byte[] content = clientId.getBytes(StandardCharsets.UTF_8);
        DefaultAuthenticationContext context = new DefaultAuthenticationContext();
        context.setUsername(username);
        context.setContent(content);
        context.setSignature(AclSigner.calSignature(content, new String(password, StandardCharsets.UTF_8)));
        try {
            authentication.evaluate(context);
            return Outcome.ALLOWED;
        } catch (RuntimeException rejected) {
            return Outcome.BAD_CREDENTIALS;
        }
    }

    @Override
    public String summary() {
        return authorization != null
            ? "clients log in as broker users; publish and subscribe are checked against the broker's ACLs"
            : "clients log in as broker users; authorization is off, so every user may publish and subscribe to every topic";
    }

    @Override
    public boolean mayPublish(Client client, String rocketmqTopic) {
        return authorized(client, Resource.ofTopic(rocketmqTopic), Action.PUB);
    }

    @Override
    public boolean maySubscribe(Client client, String rocketmqTopic) {
        // A policy on "Topic:*" (pattern ANY) is the only one that matches this resource.
        Resource resource = rocketmqTopic != null ? Resource.ofTopic(rocketmqTopic)
            : Resource.of(ResourceType.TOPIC, null, ResourcePattern.ANY);
        return authorized(client, resource, Action.SUB);
    }

    /**
     * Asks the broker's evaluator, which reads users and ACLs through the metadata provider's
     * cache (invalidated when mqadmin changes them on this broker): no I/O per publish.
     */
    private boolean authorized(Client client, Resource resource, Action action) {
        if (authorization == null) {
            return true;
        }
        if (client.username() == null) {
            return false;
        }
        try {
            authorization.evaluate(List.of(
                DefaultAuthorizationContext.of(User.of(client.username()), resource, action, client.sourceIp())));
            return true;
        } catch (RuntimeException denied) {
            logDenial(client, resource, action, denied);
            return false;
        }
    }

    private void logDenial(Client client, Resource resource, Action action, RuntimeException denied) {
        String topic = resource.getResourceName() == null ? "*" : resource.getResourceName();
        if (loggedDenials.first(client.clientId() + '\n' + action + '\n' + topic)) {
            LOG.warn("mqtt client '{}' (user '{}' from {}) may not {} RocketMQ topic '{}': {} (logged once per client and topic)",
                client.clientId(), client.username(), client.sourceIp(),
                action == Action.PUB ? "publish to" : "subscribe to", topic, denied.getMessage());
        }
    }
}
