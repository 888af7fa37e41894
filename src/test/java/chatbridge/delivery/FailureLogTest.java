package chatbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A partner's outage writes its first failure and then a line per interval, not a line per event. */
class FailureLogTest {
    private Instant now = Instant.parse("2026-12-02T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final FailureLog log = new FailureLog(Duration.ofSeconds(60), clock);

    @Test
    void theFirstFailureIsLoggedAndTheRestSummarisedOncePerInterval() {
        assertTrue(log.failed("shop", "http-503", "event e-0 failed"));
        for (int i = 1; i <= 100; i++) {
            assertFalse(log.failed("shop", i % 4 == 0 ? "timeout" : "http-503", "event e-" + i + " failed"));
        }
        assertTrue(log.failed("other", "http-500", "event o-1 failed"), "each partner has its own spell");

        now = now.plusSeconds(59);
        assertEquals(List.of(), log.summarize(), "not before the interval");
        now = now.plusSeconds(1);
        List<String> summaries = log.summarize();
        assertEquals(1, summaries.size(), summaries.toString());
        assertEquals("Partner shop: 100 more failed deliveries in the last 60 s {http-503=75, timeout=25}; last: event e-100 failed",
                summaries.get(0));

        // Still failing: counted into the next summary, never logged one by one.
        assertFalse(log.failed("shop", "http-503", "event e-101 failed"));
        now = now.plusSeconds(60);
        assertEquals(1, log.summarize().size());

        // A quiet interval ends the spell: the next failure is logged at once again.
        now = now.plusSeconds(60);
        assertEquals(List.of(), log.summarize());
        assertTrue(log.failed("shop", "http-503", "event e-200 failed"));
    }
}
