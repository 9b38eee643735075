package net.lightqueue.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Records what a Paho v5 client receives, including messages the broker sends right after
 * CONNACK (a resumed session's backlog), which a per-subscription listener would miss, and how
 * its connection ended.
 */
public class Arrivals implements MqttCallback {

    /** A received PUBLISH. */
    public record Arrival(String topic, String body, boolean duplicate, boolean retained) {
    }

    private final BlockingQueue<Arrival> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        queue.add(new Arrival(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
            message.isDuplicate(), message.isRetained()));
    }

    /** Records a message that another kind of client (e.g. Paho v3) received. */
    public void add(Arrival arrival) {
        queue.add(arrival);
    }

    /** Waits until {@code count} messages arrived (or the timeout passed) and returns what did. */
    public List<Arrival> await(int count, Duration timeout) throws InterruptedException {
        List<Arrival> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < count) {
            long left = deadline - System.nanoTime();
            Arrival next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                break;
            }
            got.add(next);
        }
        return got;
    }

    /** What else arrives within {@code quiet}: for checks that nothing more (e.g. no duplicate) comes. */
    public List<Arrival> drain(Duration quiet) throws InterruptedException {
        List<Arrival> more = new ArrayList<>();
        Arrival next;
        while ((next = queue.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            more.add(next);
        }
        return more;
    }

    /**
     * How the connection ended (with the server's DISCONNECT reason code, if it sent one), or
     * null if it did not within {@code timeout}.
     */
    public MqttDisconnectResponse awaitDisconnect(Duration timeout) throws InterruptedException {
        return disconnects.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnects.add(response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
