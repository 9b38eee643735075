package net.lightqueue.dispatch.broker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.lightqueue.dispatch.DispatcherOptions;
import net.lightqueue.dispatch.LightQueueDispatcher;
import net.lightqueue.host.spi.BrokerPlugin;
import net.lightqueue.host.spi.PluginContext;

/** Runs the dispatcher in an in-process broker the way the protocol plugin does. */
public class DispatcherPlugin implements BrokerPlugin {

    static final List<DispatcherPlugin> INSTANCES = new CopyOnWriteArrayList<>();
    static final String SESSIONS = "sessions";
    static final String PROGRESS = "progress";
    static final String WILLS = "wills";
    static final String SHARED = "shared";
    /** The protocol state families the tests declare. */
    static final Set<String> STATE_FAMILIES = Set.of(SESSIONS, PROGRESS, WILLS, SHARED);
    /** What the next loaded instance declares; a test changing it restores {@link #STATE_FAMILIES}. */
    static volatile Set<String> declaredFamilies = STATE_FAMILIES;

    volatile PluginContext context;
    volatile LightQueueDispatcher dispatcher;

    public DispatcherPlugin() {
        INSTANCES.add(this);
    }

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public List<Class<?>> settingsTypes() {
        return List.of(DispatcherOptions.class);
    }

    @Override
    public void load(PluginContext context) {
        this.context = context;
        dispatcher = LightQueueDispatcher.open(context, context.settings(DispatcherOptions.class), declaredFamilies);
    }

    @Override
    public void start() {
        dispatcher.start();
    }

    @Override
    public void stop() {
        dispatcher.stop();
    }
}
