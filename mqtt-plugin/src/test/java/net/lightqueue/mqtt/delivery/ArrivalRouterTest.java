package net.lightqueue.mqtt.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ArrivalRouterTest {

    private final ArrivalRouter router = new ArrivalRouter();

    /** Counts what it was told, as "filter@end". */
    private static final class Recorder implements QueueWatcher {
        final List<String> told = new ArrayList<>();

        @Override
        public synchronized void arrived(String filter, long queueEnd) {
            told.add(filter + "@" + queueEnd);
        }
    }

    @Test
    void eachWatcherHearsItsOwnFilterOnce() {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        Recorder three = new Recorder();
        router.add("a/b", one);
        router.add("a/b", two);
        router.add("a/b", two); // a second add of the same watcher is no second watcher
        router.add("c/#", three);

        router.arrived("a/b", 7);
        router.arrived("c/#", 9);
        router.arrived("nobody/reads", 1);

        assertEquals(List.of("a/b@7"), one.told);
        assertEquals(List.of("a/b@7"), two.told);
        assertEquals(List.of("c/#@9"), three.told);
    }

    @Test
    void removedWatchersHearNothingAndTheOthersStill() {
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        Recorder three = new Recorder();
        router.add("f", one);
        router.add("f", two);
        router.add("f", three);

        router.remove("f", two);
        router.arrived("f", 1);
        router.remove("f", one);
        router.arrived("f", 2);
        router.remove("f", new Recorder()); // never added: changes nothing
        router.arrived("f", 3);
        router.remove("f", three);
        router.arrived("f", 4);
        router.add("f", two);
        router.arrived("f", 5);

        assertEquals(List.of("f@1"), one.told);
        assertEquals(List.of("f@5"), two.told);
        assertEquals(List.of("f@1", "f@2", "f@3"), three.told);
    }

    /** A watcher that stays is told of every arrival while others come and go on the same filter. */
    @Test
    void aStayingWatcherMissesNothingWhileOthersComeAndGo() throws InterruptedException {
        AtomicLong heard = new AtomicLong();
        QueueWatcher staying = (filter, end) -> heard.incrementAndGet();
        router.add("shared/filter", staying);
        CountDownLatch churned = new CountDownLatch(1);
        Thread churn = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                QueueWatcher passing = (filter, end) -> { };
                router.add("shared/filter", passing);
                router.remove("shared/filter", passing);
            }
            churned.countDown();
        });
        churn.start();
        long told = 0;
        while (churned.getCount() > 0 || told < 1_000) {
            router.arrived("shared/filter", told);
            told++;
        }
        churn.join();
        assertEquals(told, heard.get());
    }
}
