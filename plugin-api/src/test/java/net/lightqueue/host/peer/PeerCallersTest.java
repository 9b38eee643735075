package net.lightqueue.host.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.junit.jupiter.api.Test;

/** Who may send peer requests, decided from the request alone (the in-process calls are in PeerNetworkTest). */
class PeerCallersTest {

    private static final InetSocketAddress BROKER_B = new InetSocketAddress("10.0.0.2", 40_000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("10.0.0.9", 40_000);

    @Test
    void withAuthenticationOnOnlyTheInnerCredentialsMayCallWhereverTheyComeFrom() {
        AuthConfig auth = new AuthConfig();
        auth.setAuthenticationEnabled(true);
        auth.setInnerClientAuthenticationCredentials("{\"accessKey\":\"cluster-inner\",\"secretKey\":\"s3cret\"}");
        PeerCallers callers = new PeerCallers("c1", auth);

        // The broker's pipeline has checked the signature by then; the access key says whose it is.
        assertNull(callers.refusal(42_000, "broker-b", STRANGER, Map.of("AccessKey", "cluster-inner")));
        String device = callers.refusal(42_000, "broker-b", BROKER_B, Map.of("AccessKey", "device-user"));
        assertTrue(device.contains("inner credentials"), device);
        assertTrue(callers.refusal(42_000, "broker-b", BROKER_B, Map.of()).startsWith("refused"));
    }

    @Test
    void withoutAuthenticationACallerMustComeFromAnAddressOfTheGroupItNames() {
        PeerCallers callers = new PeerCallers("c1", new AuthConfig());
        int[] refreshes = {0};
        callers.refreshWith(() -> refreshes[0]++);

        String beforeAnyRoute = callers.refusal(42_000, "broker-b", BROKER_B, Map.of());
        assertTrue(beforeAnyRoute.contains("not listed in cluster c1 yet"), beforeAnyRoute);
        assertEquals(1, refreshes[0], "an unknown caller asks for a fresh route");

        callers.routeTaken(Map.of("broker-a", List.of("10.0.0.1:10911"),
            "broker-b", List.of("10.0.0.2:10911", "10.0.0.3:10911")));
        assertNull(callers.refusal(42_000, "broker-b", BROKER_B, Map.of()));
        assertNull(callers.refusal(42_000, "broker-b", new InetSocketAddress("10.0.0.3", 1), Map.of()), "its slave");
        assertTrue(callers.refusal(42_000, "broker-a", BROKER_B, Map.of()).startsWith("refused"),
            "broker-b's address does not speak for broker-a");
        assertTrue(callers.refusal(42_000, "broker-b", STRANGER, Map.of()).startsWith("refused"));
        assertTrue(callers.refusal(42_000, null, BROKER_B, Map.of()).contains("does not name"));
        assertEquals(1, refreshes[0], "a fresh route is not looked up again");
    }
}
