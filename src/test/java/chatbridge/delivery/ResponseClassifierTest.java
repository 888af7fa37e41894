package chatbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import chatbridge.failures.BridgeFailure;
import chatbridge.failures.BridgeFailure.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResponseClassifierTest {
    private final ResponseClassifier classifier = new ResponseClassifier(Duration.ofSeconds(300));
    private final Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreDelivered(int status) {
        assertNull(classifier.classify(status, null, now));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504, 599})
    void transientStatusesAreRetryable(int status) {
        assertKind(Kind.RETRYABLE, classifier.classify(status, null, now));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 400, 401, 403, 404, 405, 413, 422})
    void otherStatusesArePermanent(int status) {
        BridgeFailure failure = classifier.classify(status, null, now);
        assertKind(Kind.PERMANENT, failure);
        assertEquals("http-" + status, failure.reason());
    }

    @Test
    void goneIsPermanentWithItsOwnReason() {
        assertEquals("endpoint-gone", classifier.classify(410, null, now).reason());
    }

    @Test
    void retryAfterSecondsIsHonouredOn429And503() {
        BridgeFailure failure = classifier.classify(429, "7", now);
        assertEquals(7000, retryLater(failure).delayMillis());
        assertEquals(2000, retryLater(classifier.classify(503, "2", now)).delayMillis());
    }

    @Test
    void retryAfterHttpDateIsHonoured() {
        BridgeFailure failure = classifier.classify(503, "Tue, 24 Nov 2026 10:01:00 GMT", now);
        assertEquals(60_000, retryLater(failure).delayMillis());
    }

    @Test
    void retryAfterIsCapped() {
        assertEquals(300_000, retryLater(classifier.classify(429, "86400", now)).delayMillis());
        assertEquals(300_000, retryLater(classifier.classify(429, "99999999999999", now)).delayMillis());
    }

    @Test
    void unusableRetryAfterFallsBackToTheBrokerSchedule() {
        assertKind(Kind.RETRYABLE, classifier.classify(429, "soon", now));
        assertKind(Kind.RETRYABLE, classifier.classify(503, "0", now));
        assertKind(Kind.RETRYABLE, classifier.classify(500, "10", now));
    }

    private static void assertKind(Kind kind, BridgeFailure failure) {
        assertEquals(kind, failure.kind(), failure.getMessage());
    }

    private static BridgeFailure retryLater(BridgeFailure failure) {
        assertKind(Kind.RETRY_LATER, failure);
        return failure;
    }
}
