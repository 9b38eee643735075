package net.lightqueue.host;

import java.lang.reflect.Field;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.broker.longpolling.NotifyMessageArrivingListener;
import org.apache.rocketmq.broker.longpolling.PullRequestHoldService;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.store.MessageArrivingListener;
import org.apache.rocketmq.store.plugin.MessageStorePluginContext;

/**
 * Finds the {@link BrokerController}, which RocketMQ does not hand to store plugins. The only
 * path in 5.x: the context's arriving listener is a {@link NotifyMessageArrivingListener}
 * whose private {@code pullRequestHoldService} holds the controller in a protected field.
 * This is the one place that relies on that shape; a test pins it against the broker version
 * we build with.
 */
final class BrokerControllerLocator {

    private BrokerControllerLocator() {
    }

    static BrokerController locate(MessageStorePluginContext context) {
        MessageArrivingListener listener = context.getMessageArrivingListener();
        try {
            if (!(listener instanceof NotifyMessageArrivingListener)) {
                throw new IllegalStateException("the message arriving listener is "
                    + (listener == null ? "null" : listener.getClass().getName()));
            }
            Object holdService = read(NotifyMessageArrivingListener.class, "pullRequestHoldService", listener);
            Object controller = read(PullRequestHoldService.class, "brokerController", holdService);
            if (!(controller instanceof BrokerController)) {
                throw new IllegalStateException("PullRequestHoldService.brokerController is " + controller);
            }
            return (BrokerController) controller;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the BrokerController in RocketMQ "
                + MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION)
                + " (the plugin is built for 5.5); the broker's internals changed shape: " + e.getMessage(), e);
        }
    }

    private static Object read(Class<?> owner, String fieldName, Object target) throws ReflectiveOperationException {
        Field field = owner.getDeclaredField(fieldName);
        field.setAccessible(true);
        return field.get(target);
    }
}
