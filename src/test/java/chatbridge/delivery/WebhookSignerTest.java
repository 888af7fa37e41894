package chatbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import chatbridge.testing.StandardWebhooks;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    // Test vector produced by the reference library (npm standardwebhooks 1.1.1), see shared STACK.md.
    private static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    private static final String ID = "msg_2fT1pQ0feasibility";
    private static final long TIMESTAMP = 1700000000L;
    private static final byte[] BODY = "{\"type\":\"order.created\",\"data\":{\"id\":42}}".getBytes(StandardCharsets.UTF_8);

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    @Test
    void matchesTheReferenceLibrarysVector() {
        assertEquals("v1,98fmQP1pMWhH/SsPaGFXlCF4AxYwzvWveI8bMKhlNRE=",
                WebhookSigner.sign(ID, TIMESTAMP, BODY, List.of(key(SECRET))));
    }

    @Test
    void signsWithEveryActiveSecretDuringRotation() {
        String newSecret = "whsec_" + Base64.getEncoder().encodeToString("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8));
        String header = WebhookSigner.sign(ID, TIMESTAMP, BODY, List.of(key(SECRET), key(newSecret)));
        String[] parts = header.split(" ");
        assertEquals(2, parts.length);
        assertTrue(StandardWebhooks.verify(SECRET, ID, "1700000000", BODY, header));
        assertTrue(StandardWebhooks.verify(newSecret, ID, "1700000000", BODY, header));
    }

    @Test
    void aChangedBodyNoLongerVerifies() {
        String header = WebhookSigner.sign(ID, TIMESTAMP, BODY, List.of(key(SECRET)));
        byte[] tampered = "{\"type\":\"order.created\",\"data\":{\"id\":43}}".getBytes(StandardCharsets.UTF_8);
        assertTrue(!StandardWebhooks.verify(SECRET, ID, "1700000000", tampered, header));
    }
}
