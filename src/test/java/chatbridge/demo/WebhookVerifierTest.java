package chatbridge.demo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The partner simulator's verifier against the reference library's test vector (docs: /work/shared/STACK.md). */
class WebhookVerifierTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String ID = "msg_2fT1pQ0feasibility";
    static final String TIMESTAMP = "1700000000";
    static final byte[] BODY = "{\"type\":\"order.created\",\"data\":{\"id\":42}}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,98fmQP1pMWhH/SsPaGFXlCF4AxYwzvWveI8bMKhlNRE=";

    static WebhookVerifier verifierAt(long epochSecond) {
        return new WebhookVerifier(SECRET, Duration.ofMinutes(5),
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Test
    void theReferenceSignatureIsAccepted() {
        assertDoesNotThrow(() -> verifierAt(1_700_000_000L).verify(ID, TIMESTAMP, SIGNATURE, BODY));
        // While a secret is rotated the header lists several signatures; one match is enough.
        assertDoesNotThrow(() -> verifierAt(1_700_000_100L).verify(ID, TIMESTAMP,
                "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,whatever " + SIGNATURE, BODY));
    }

    @Test
    void anythingAlteredIsRejected() {
        WebhookVerifier verifier = verifierAt(1_700_000_000L);
        byte[] altered = "{\"type\":\"order.created\",\"data\":{\"id\":43}}".getBytes(StandardCharsets.UTF_8);
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(ID, TIMESTAMP, SIGNATURE, altered));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(ID + "x", TIMESTAMP, SIGNATURE, BODY));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(ID, "1700000001", SIGNATURE, BODY));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(ID, TIMESTAMP, "v1,not-base64!", BODY));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(ID, TIMESTAMP, "v2," + SIGNATURE.substring(3), BODY));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(null, TIMESTAMP, SIGNATURE, BODY));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifier.verify(ID, TIMESTAMP, null, BODY));
        WebhookVerifier otherSecret = new WebhookVerifier("whsec_" + "b3RoZXItc2VjcmV0LW9mLWF0LWxlYXN0LTI0LWJ5dGVz",
                Duration.ofMinutes(5), Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
        assertThrows(WebhookVerifier.Rejected.class, () -> otherSecret.verify(ID, TIMESTAMP, SIGNATURE, BODY));
    }

    @Test
    void aTimestampMoreThanFiveMinutesAwayIsRejected() {
        assertDoesNotThrow(() -> verifierAt(1_700_000_300L).verify(ID, TIMESTAMP, SIGNATURE, BODY));
        WebhookVerifier.Rejected late = assertThrows(WebhookVerifier.Rejected.class,
                () -> verifierAt(1_700_000_301L).verify(ID, TIMESTAMP, SIGNATURE, BODY));
        assertTrue(late.getMessage().contains("301 s"), late.getMessage());
        assertThrows(WebhookVerifier.Rejected.class, () -> verifierAt(1_699_999_699L).verify(ID, TIMESTAMP, SIGNATURE, BODY));
        assertThrows(WebhookVerifier.Rejected.class, () -> verifierAt(1_700_000_000L).verify(ID, "soon", SIGNATURE, BODY));
    }
}
