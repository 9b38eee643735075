package net.lightqueue.it.mqtt;

import java.util.ArrayList;
import java.util.List;
import net.lightqueue.it.Arrivals;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Records what a Paho v5 client with manual acks receives, holding its PUBACKs until
 * {@link #release()}; from then on it acknowledges each message as it arrives.
 */
final class HeldAcks implements MqttCallback {

    private final MqttClient client;
    private final Arrivals arrivals;
    private final List<int[]> unacknowledged = new ArrayList<>();
    private boolean holding = true;

    HeldAcks(MqttClient client, Arrivals arrivals) {
        this.client = client;
        this.arrivals = arrivals;
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
    public synchronized void messageArrived(String topic, MqttMessage message) throws MqttException {
        arrivals.messageArrived(topic, message);
        if (holding) {
            unacknowledged.add(new int[] {message.getId(), message.getQos()});
        } else {
            client.messageArrivedComplete(message.getId(), message.getQos());
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        arrivals.disconnected(response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
