package net.lightqueue.it.mqtt;

import java.util.ArrayList;
import java.util.List;
import net.lightqueue.it.Arrivals;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The arrivals of a Paho v5 client with manual acks, holding its PUBACKs until {@link #release()};
 * from then on it acknowledges each message as it arrives.
 */
final class HeldAcks extends Arrivals {

    private final MqttClient client;
    private final List<int[]> unacknowledged = new ArrayList<>();
    private boolean holding = true;

    /** Becomes {@code client}'s callback. */
    HeldAcks(MqttClient client) {
        this.client = client;
        client.setManualAcks(true);
        client.setCallback(this);
    }

    synchronized void release() throws MqttException {
        holding = false;
        for (int[] ack : unacknowledged) {
            client.messageArrivedComplete(ack[0], ack[1]);
        }
        unacknowledged.clear();
    }

    @Override
    public synchronized void messageArrived(String topic, MqttMessage message) {
        super.messageArrived(topic, message);
        if (holding) {
            unacknowledged.add(new int[] {message.getId(), message.getQos()});
        } else {
            try {
                client.messageArrivedComplete(message.getId(), message.getQos());
            } catch (MqttException e) {
                throw new IllegalStateException("PUBACK not sent", e);
            }
        }
    }
}
