package net.lightqueue.host;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import net.lightqueue.host.config.Setting;
import net.lightqueue.host.config.SettingsPrefix;
import net.lightqueue.host.peer.Peer;
import net.lightqueue.host.peer.PeerListener;
import net.lightqueue.host.peer.PeerRequestCodes;
import net.lightqueue.host.spi.BrokerPlugin;
import net.lightqueue.host.spi.PluginContext;
import org.apache.rocketmq.store.CommitLogDispatchStore;
import org.apache.rocketmq.store.DispatchRequest;

/** A plugin that records what the host does to it. Registered through test resources. */
public class RecordingPlugin implements BrokerPlugin {

    static final List<RecordingPlugin> INSTANCES = new CopyOnWriteArrayList<>();
    /** Answers "{calling broker}:{request}". */
    static final int ECHO = PeerRequestCodes.FIRST_PLUGIN_CODE;
    /** Fails with "no recording of {request}". */
    static final int REFUSE = PeerRequestCodes.FIRST_PLUGIN_CODE + 1;
    /** Records "{calling broker}:{request}" in {@link #peerMessages}. */
    static final int NOTE = PeerRequestCodes.FIRST_PLUGIN_CODE + 2;

    @SettingsPrefix("recording")
    static final class Settings {
        @Setting(description = "a number", min = 1, max = 10)
        int recordingLevel = 3;
    }

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> dispatchedTopics = new CopyOnWriteArrayList<>();
    /** "joined:{brokerName}@{address}" and "left:..." as the peer network told them. */
    final List<String> peerEvents = new CopyOnWriteArrayList<>();
    final List<String> peerMessages = new CopyOnWriteArrayList<>();
    volatile PluginContext context;
    static volatile Long dispatchFrom;
    /** The lifecycle phase ("load" or "start") in which the next instance fails, if any. */
    static volatile String failIn;

    public RecordingPlugin() {
        INSTANCES.add(this);
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public List<Class<?>> settingsTypes() {
        return List.of(Settings.class);
    }

    @Override
    public void load(PluginContext context) {
        this.context = context;
        failIfAsked("load");
        events.add("load:maxPhyOffset=" + storeMaxOffset());
        context.addDispatcher(this::dispatch);
        context.registerDispatchStore(new CommitLogDispatchStore() {
            @Override
            public Long getDispatchFromPhyOffset(boolean recoverNormally) {
                return dispatchFrom;
            }

            @Override
            public boolean isMappedFileMatchedRecover(long phyOffset, long storeTimestamp, boolean recoverNormally) {
                return true;
            }
        });
    }

    private void dispatch(DispatchRequest request) {
        dispatchedTopics.add(request.getTopic());
    }

    /** The commitlog is empty to a plugin before recovery, and holds the old messages after. */
    private long storeMaxOffset() {
        return context.defaultMessageStore().getMaxPhyOffset();
    }

    @Override
    public void start() {
        failIfAsked("start");
        events.add("start:maxPhyOffset=" + storeMaxOffset());
        context.peers().handle(ECHO, (from, request) ->
            CompletableFuture.completedFuture((from + ":" + text(request)).getBytes(StandardCharsets.UTF_8)));
        context.peers().handle(REFUSE, (from, request) ->
            CompletableFuture.failedFuture(new IllegalStateException("no recording of " + text(request))));
        context.peers().handle(NOTE, (from, request) -> {
            peerMessages.add(from + ":" + text(request));
            return CompletableFuture.completedFuture(new byte[0]);
        });
        context.peers().addListener(new PeerListener() {
            @Override
            public void joined(Peer peer) {
                peerEvents.add("joined:" + peer.brokerName() + "@" + peer.address());
            }

            @Override
            public void left(Peer peer) {
                peerEvents.add("left:" + peer.brokerName() + "@" + peer.address());
            }
        });
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void failIfAsked(String phase) {
        if (phase.equals(failIn)) {
            throw new IllegalStateException("cannot open the recording for " + phase);
        }
    }

    @Override
    public void roleChanged(boolean master) {
        events.add("role:master=" + master);
    }

    @Override
    public void stop() {
        events.add("stop:storeShutdown=" + context.defaultMessageStore().isShutdown());
    }
}
