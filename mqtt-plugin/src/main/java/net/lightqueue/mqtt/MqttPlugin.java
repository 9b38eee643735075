package net.lightqueue.mqtt;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.lightqueue.dispatch.DispatcherOptions;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.host.spi.BrokerPlugin;
import net.lightqueue.host.spi.PluginContext;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.auth.AnonymousAccessControl;
import net.lightqueue.mqtt.auth.BrokerAccessControl;
import net.lightqueue.mqtt.connect.ConnectProcessor;
import net.lightqueue.mqtt.connect.ConnectServices;
import net.lightqueue.mqtt.publish.MessageWriter;
import net.lightqueue.mqtt.publish.PublishServices;
import net.lightqueue.mqtt.publish.RocketTopics;
import net.lightqueue.mqtt.server.ConnectionServices;
import net.lightqueue.mqtt.server.MqttServer;
import net.lightqueue.mqtt.session.ArrivalRouter;
import net.lightqueue.mqtt.session.Session;
import net.lightqueue.mqtt.session.SessionRegistry;
import net.lightqueue.mqtt.subscribe.SubscriptionRequests;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.store.config.BrokerRole;

/**
 * The MQTT 3.1 / 3.1.1 / 5.0 server inside the broker: the light-queue dispatcher loads with
 * the store (so recovery replays into it), the listener starts with the broker, and only a
 * master accepts connections (a slave cannot write).
 */
public final class MqttPlugin implements BrokerPlugin {

    private PluginContext context;
    private MqttSettings settings;
    private LightQueueDispatcher dispatcher;
    private ExecutorService topicRegistration;
    private MqttServer server;
    private volatile boolean master;

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public List<Class<?>> settingsTypes() {
        return List.of(MqttSettings.class, DispatcherOptions.class);
    }

    @Override
    public void load(PluginContext pluginContext) {
        context = pluginContext;
        settings = pluginContext.settings(MqttSettings.class);
        dispatcher = LightQueueDispatcher.open(pluginContext, pluginContext.settings(DispatcherOptions.class));
    }

    @Override
    public void start() throws Exception {
        dispatcher.start();
        BrokerController broker = context.brokerController();
        master = broker.getMessageStoreConfig().getBrokerRole() != BrokerRole.SLAVE;
        AccessControl access = accessControl(broker.getAuthConfig());
        topicRegistration = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mqtt-topic-registration");
            thread.setDaemon(true);
            return thread;
        });
        PublishServices publishing = new PublishServices(settings, access,
            new RocketTopics(broker, settings.autoCreateTopics(), topicRegistration),
            new MessageWriter(context::messageStore, broker.getStoreHost()));
        ArrivalRouter router = new ArrivalRouter();
        dispatcher.addArrivalListener(router);
        ConnectionServices services = new ConnectionServices(settings,
            new ConnectProcessor(new ConnectServices(settings, access, () -> master)),
            publishing, new SubscriptionRequests(settings, access, dispatcher), new SessionRegistry(),
            clientId -> new Session(clientId, dispatcher, router, settings.deliveryBatchSize()));
        server = new MqttServer(settings, services);
        server.start();
    }

    private AccessControl accessControl(AuthConfig authConfig) {
        if (authConfig != null && authConfig.isAuthenticationEnabled()) {
            return new BrokerAccessControl(authConfig);
        }
        return new AnonymousAccessControl(settings.allowAnonymous());
    }

    @Override
    public void roleChanged(boolean nowMaster) {
        master = nowMaster;
        if (!nowMaster && server != null) {
            server.disconnectAll();
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        if (topicRegistration != null) {
            topicRegistration.shutdownNow();
        }
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    /** The port the listener is bound to (useful with mqttListenPort=0), or -1 before start. */
    public int boundPort() {
        return server == null ? -1 : server.boundPort();
    }
}
