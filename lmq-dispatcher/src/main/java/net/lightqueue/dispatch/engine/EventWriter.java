package net.lightqueue.dispatch.engine;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import net.lightqueue.dispatch.event.Event;
import net.lightqueue.dispatch.event.EventCodec;
import net.lightqueue.dispatch.event.EventTopic;
import org.apache.rocketmq.store.MessageStore;

/** Writes events through the broker's store and waits until the dispatcher applied them. */
public final class EventWriter {

    private final Supplier<MessageStore> store;
    private final SocketAddress brokerAddress;
    private final SubscribeBarrier barrier;

    /** @param store the outermost store, looked up per write so every store plugin sees the put */
    public EventWriter(Supplier<MessageStore> store, SocketAddress brokerAddress, SubscribeBarrier barrier) {
        this.store = store;
        this.brokerAddress = brokerAddress;
        this.barrier = barrier;
    }

    /**
     * @param event builds the event from the request id its waiter is known by
     * @return completes when the event is applied, or fails if the broker refused the write
     */
    public CompletableFuture<AppliedEvent> write(LongFunction<? extends Event> event) {
        SubscribeBarrier.Waiter waiter = barrier.register();
        long id = waiter.requestId();
        try {
            byte[] bytes = EventCodec.encode(event.apply(id));
            store.get().asyncPutMessage(EventTopic.message(bytes, brokerAddress)).whenComplete((result, error) -> {
                if (error != null) {
                    barrier.abandon(id, error);
                } else if (result == null || !result.isOk()) {
                    barrier.abandon(id, new EventWriteException("the broker refused the event: "
                        + (result == null ? "no result" : result.getPutMessageStatus())));
                }
            });
        } catch (RuntimeException e) {
            barrier.abandon(id, e);
        }
        return waiter.applied();
    }
}
