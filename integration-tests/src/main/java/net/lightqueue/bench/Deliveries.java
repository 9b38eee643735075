package net.lightqueue.bench;

import io.netty.buffer.ByteBuf;

/** Where a subscribing connection hands the PUBLISH packets it receives. Called on its event loop. */
interface Deliveries {
    /** One PUBLISH; {@code qos2PacketId} is its packet id at QoS 2, else 0. */
    void onPublish(ByteBuf payload, int qos2PacketId);

    /** PUBREL for a QoS 2 packet id. */
    void onRelease(int packetId);
}
