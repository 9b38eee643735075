package net.lightqueue.mqtt.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

/**
 * The broker's own ACL 2.0: MQTT username and password are checked against the broker's
 * users (managed with mqadmin), publish and subscribe against its topic ACLs. The password
 * is never sent anywhere: the broker's authenticator verifies a signature, so one is computed
 * here from the password over the client id, exactly as a RocketMQ client signs a request.
 */
public final class BrokerAccessControl implements AccessControl {

    private final AuthenticationEvaluator authentication;
    private final AuthorizationEvaluator authorization;

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
    public boolean mayPublish(String username, String rocketmqTopic, String sourceIp) {
        return authorized(username, Resource.ofTopic(rocketmqTopic), Action.PUB, sourceIp);
    }

    @Override
    public boolean maySubscribe(String username, String rocketmqTopic, String sourceIp) {
        Resource resource = rocketmqTopic != null ? Resource.ofTopic(rocketmqTopic)
            : Resource.of(ResourceType.TOPIC, null, ResourcePattern.ANY);
        return authorized(username, resource, Action.SUB, sourceIp);
    }

    private boolean authorized(String username, Resource resource, Action action, String sourceIp) {
        if (authorization == null) {
            return true;
        }
        if (username == null) {
            return false;
        }
        try {
            authorization.evaluate(List.of(DefaultAuthorizationContext.of(User.of(username), resource, action, sourceIp)));
            return true;
        } catch (RuntimeException denied) {
            return false;
        }
    }
}
