package net.lightqueue.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quickstart's groups on one machine get ports that do not collide. */
class QuickstartTest {

    private static final Map<String, String> CONF = Map.of("mqttListenPort", "1883", "mqttWsPort", "8083",
        "mqttWssPort", "8084", "mqttTlsPort", "0", "mqttAllowAnonymous", "false");

    @Test
    void theFirstGroupKeepsThePortsAsGiven() {
        assertEquals(CONF, Quickstart.portsOfGroup(CONF, 0));
    }

    @Test
    void laterGroupsMoveTheMqttPortByOneAndOtherPortsByTen() {
        assertEquals(Map.of("mqttListenPort", "1885", "mqttWsPort", "8103", "mqttWssPort", "8104",
            "mqttTlsPort", "0", "mqttAllowAnonymous", "false"), Quickstart.portsOfGroup(CONF, 2));
    }
}
