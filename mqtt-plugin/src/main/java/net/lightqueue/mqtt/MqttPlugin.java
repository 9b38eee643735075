package net.lightqueue.mqtt;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.lightqueue.dispatch.DispatcherOptions;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.host.peer.PeerNetwork;
import net.lightqueue.host.spi.BrokerPlugin;
import net.lightqueue.host.spi.PluginContext;
import net.lightqueue.mqtt.auth.AccessControl;
import net.lightqueue.mqtt.auth.AnonymousAccessControl;
import net.lightqueue.mqtt.auth.BrokerAccessControl;
import net.lightqueue.mqtt.cluster.ClusterRetained;
import net.lightqueue.mqtt.cluster.ClusterSubscriptions;
import net.lightqueue.mqtt.cluster.FilterSetSync;
import net.lightqueue.mqtt.cluster.QueueServer;
import net.lightqueue.mqtt.cluster.RemoteQueues;
import net.lightqueue.mqtt.cluster.SessionClaims;
import net.lightqueue.mqtt.connect.ConnectProcessor;
import net.lightqueue.mqtt.connect.ConnectServices;
import net.lightqueue.mqtt.delivery.ArrivalRouter;
import net.lightqueue.mqtt.delivery.DeliveryMetrics;
import net.lightqueue.mqtt.delivery.SharedPayloads;
import net.lightqueue.mqtt.delivery.QueueCursors;
import net.lightqueue.mqtt.delivery.UndeliverableMessages;
import net.lightqueue.mqtt.metrics.MetricSources;
import net.lightqueue.mqtt.metrics.MqttMetrics;
import net.lightqueue.mqtt.persistence.SessionStore;
import net.lightqueue.mqtt.persistence.StateFamilies;
import net.lightqueue.mqtt.publish.BrokerTopics;
import net.lightqueue.mqtt.publish.CommitLogWriter;
import net.lightqueue.mqtt.publish.PublishServices;
import net.lightqueue.mqtt.publish.RefusedPublishes;
import net.lightqueue.mqtt.server.ConnectionRegistry;
import net.lightqueue.mqtt.server.ConnectionServices;
import net.lightqueue.mqtt.server.MqttServer;
import net.lightqueue.mqtt.session.SessionLifecycle;
import net.lightqueue.mqtt.session.SessionServices;
import net.lightqueue.mqtt.session.WillPublisher;
import net.lightqueue.mqtt.shared.SharedGroups;
import net.lightqueue.mqtt.subscribe.SubscriptionRequests;
import net.lightqueue.mqtt.sys.SysPublisher;
import net.lightqueue.mqtt.sys.SysTopics;
import net.lightqueue.mqtt.sys.TrafficCounters;
import net.lightqueue.mqtt.topic.ReservedTopics;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;
import org.apache.rocketmq.store.config.BrokerRole;

/**
 * The MQTT 3.1 / 3.1.1 / 5.0 server inside the broker: the light-queue dispatcher loads with
 * the store (so recovery replays into it), the listener starts with the broker, and only a
 * master listens (a slave cannot write).
 */
public final class MqttPlugin implements BrokerPlugin {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt");

    /** How long stopping waits for the sessions of the closed connections to be written. */
    private static final long STOP_STATE_MILLIS = 5_000;

    private PluginContext context;
    private MqttSettings settings;
    private LightQueueDispatcher dispatcher;
    private ExecutorService topicRegistration;
    private ScheduledExecutorService sessionTimers;
    /** Sends the arrival signals to the peers: a one-way send may wait for a slot, never on a session's thread. */
    private ExecutorService peerSignals;
    private SessionLifecycle sessions;
    private MqttServer server;
    private SysPublisher sys;
    private MqttMetrics metrics;
    private final SharedPayloads payloads = new SharedPayloads();
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
        dispatcher = LightQueueDispatcher.open(pluginContext, pluginContext.settings(DispatcherOptions.class),
            StateFamilies.ALL);
    }

    @Override
    public synchronized void start() throws Exception {
        dispatcher.start();
        BrokerController broker = context.brokerController();
        master = broker.getMessageStoreConfig().getBrokerRole() != BrokerRole.SLAVE;
        AccessControl access = accessControl(broker.getAuthConfig());
        topicRegistration = daemonThread("mqtt-topic-registration");
        ReservedTopics reserved = new ReservedTopics(broker.getBrokerConfig().getBrokerClusterName(),
            broker.getBrokerConfig().getBrokerName());
        RefusedPublishes refused = new RefusedPublishes();
        PublishServices publishing = new PublishServices(settings, access,
            new BrokerTopics(broker, reserved, settings.autoCreateTopics(), topicRegistration),
            new CommitLogWriter(context::messageStore, broker.getStoreHost()), refused, dispatcher::indexFailure);
        ArrivalRouter router = new ArrivalRouter();
        dispatcher.addArrivalListener(router);
        sessionTimers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mqtt-sessions");
            thread.setDaemon(true);
            return thread;
        });
        PeerNetwork peers = context.peers();
        ClusterSubscriptions subscriptions = new ClusterSubscriptions(dispatcher, peers, settings);
        SessionStore store = new SessionStore(dispatcher, subscriptions);
        peerSignals = daemonThread("mqtt-peer-signals");
        dispatcher.addArrivalListener(new QueueServer(peers, dispatcher, dispatcher, new SessionStore(dispatcher, dispatcher),
            peerSignals));
        peers.addListener(new FilterSetSync(peers, dispatcher, store, settings, sessionTimers));
        SharedGroups shared = new SharedGroups(settings, dispatcher, subscriptions, store, router, sessionTimers);
        shared.serveCluster(peers, Clock.systemUTC());
        UndeliverableMessages undeliverable = new UndeliverableMessages();
        DeliveryMetrics deliveries = new DeliveryMetrics();
        SessionClaims claims = new SessionClaims(peers, settings);
        RemoteQueues remote = new RemoteQueues(peers, settings, sessionTimers, Clock.systemUTC());
        remote.startPolling();
        peers.addListener(remote);
        sessions = new SessionLifecycle(new SessionServices(settings, new QueueCursors(dispatcher, router), remote, claims, store,
            shared, sessionTimers, Clock.systemUTC(), undeliverable, deliveries, payloads),
            new WillPublisher(publishing.topics(), publishing.writer(), broker.getStoreHost()));
        if (master) {
            sessions.recover();
        }
        ConnectionRegistry registry = new ConnectionRegistry();
        ConnectionServices services = new ConnectionServices(settings,
            new ConnectProcessor(new ConnectServices(settings, access, reserved, () -> master,
                dispatcher::indexFailure)),
            publishing, new SubscriptionRequests(settings, access, reserved, subscriptions,
                new ClusterRetained(dispatcher, peers, settings), shared), registry, sessions);
        TrafficCounters traffic = new TrafficCounters();
        server = new MqttServer(settings, services, traffic);
        claims.serve(server::handOver, clientId -> store.session(clientId) != null);
        server.start();
        if (master) {
            server.listen();
        } else {
            LOG.info("this broker is a slave: MQTT listeners stay closed until it becomes the master");
        }
        LOG.info("MQTT access: {}", access.summary());
        SysTopics sysTopics = new SysTopics(version(), System.currentTimeMillis(), () -> registry.count(),
            traffic, undeliverable, dispatcher, dispatcher);
        sys = SysPublisher.start(sysTopics, publishing.writer(), broker.getStoreHost(), sessionTimers,
            settings.sysIntervalSeconds(), () -> master);
        metrics = MqttMetrics.start(broker, new MetricSources(server.listenerNames(), registry, traffic, sessions, shared,
            undeliverable, refused, deliveries, dispatcher));
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private AccessControl accessControl(AuthConfig authConfig) {
        if (authConfig != null && authConfig.isAuthenticationEnabled()) {
            return new BrokerAccessControl(authConfig);
        }
        return new AnonymousAccessControl(settings.allowAnonymous());
    }

    /**
     * Only the master serves MQTT. A promoted slave already holds the old master's state (it
     * applied the replicated commitlog): it schedules the sessions' wills and expiries, then
     * opens its listeners. A demoted master closes its listeners and ends its connections.
     */
    @Override
    public synchronized void roleChanged(boolean nowMaster) {
        boolean promoted = nowMaster && !master;
        boolean demoted = !nowMaster && master;
        master = nowMaster;
        if (server == null) {
            return; // start() reads the role itself
        }
        if (demoted) {
            server.stopListening();
            LOG.info("this broker is now a slave: MQTT listeners closed and clients disconnected");
        }
        if (promoted) {
            sessions.recover(); // the sessions the old master wrote, replicated with its commitlog
            try {
                server.listen();
                LOG.info("this broker is now the master: MQTT listeners open");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("this broker is now the master but could not open its MQTT listeners", e);
            }
        }
    }

    private static String version() {
        String version = MqttPlugin.class.getPackage().getImplementationVersion();
        return "lightqueue-mqtt " + (version == null ? "development build" : version);
    }

    @Override
    public void stop() {
        if (metrics != null) {
            metrics.close();
        }
        if (sys != null) {
            sys.stop();
        }
        if (server != null) {
            server.stop();
        }
        payloads.clear();
        if (sessions != null) {
            sessions.awaitIdle(STOP_STATE_MILLIS);
            sessionTimers.shutdownNow();
        }
        if (topicRegistration != null) {
            topicRegistration.shutdownNow();
        }
        if (peerSignals != null) {
            peerSignals.shutdownNow();
        }
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    /** The light queues, for tests that watch the dispatcher's state. */
    LightQueueDispatcher dispatcher() {
        return dispatcher;
    }

    /** The MQTT listener, null before start. */
    MqttServer server() {
        return server;
    }

    /** The port the listener is bound to (useful with mqttListenPort=0), or -1 before start. */
    public int boundPort() {
        return server == null ? -1 : server.boundPort();
    }
}
