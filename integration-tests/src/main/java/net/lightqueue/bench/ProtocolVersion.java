package net.lightqueue.bench;

import io.netty.handler.codec.mqtt.MqttVersion;

enum ProtocolVersion {
    V3_1_1("3.1.1", MqttVersion.MQTT_3_1_1),
    V5("5", MqttVersion.MQTT_5);

    private final String label;
    private final MqttVersion netty;

    ProtocolVersion(String label, MqttVersion netty) {
        this.label = label;
        this.netty = netty;
    }

    MqttVersion netty() {
        return netty;
    }

    @Override
    public String toString() {
        return label;
    }
}
