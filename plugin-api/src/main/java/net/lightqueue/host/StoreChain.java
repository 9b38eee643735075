package net.lightqueue.host;

import java.lang.reflect.Field;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.MessageStore;
import org.apache.rocketmq.store.plugin.AbstractPluginMessageStore;

/** The broker wraps its store in every configured store plugin; this finds the store inside. */
final class StoreChain {

    private StoreChain() {
    }

    static DefaultMessageStore innermost(MessageStore store) {
        MessageStore current = store;
        while (current instanceof AbstractPluginMessageStore) {
            current = next((AbstractPluginMessageStore) current);
        }
        if (current instanceof DefaultMessageStore defaultStore) {
            return defaultStore;
        }
        throw new IllegalStateException("the broker's message store is "
            + (current == null ? "null" : current.getClass().getName())
            + ", not a DefaultMessageStore; the plugin needs the default commitlog store (storeType=default)");
    }

    private static MessageStore next(AbstractPluginMessageStore plugin) {
        try {
            Field next = AbstractPluginMessageStore.class.getDeclaredField("next");
            next.setAccessible(true);
            return (MessageStore) next.get(plugin);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot unwrap store plugin " + plugin.getClass().getName(), e);
        }
    }
}
