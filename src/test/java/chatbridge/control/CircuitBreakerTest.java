package chatbridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import chatbridge.control.CircuitBreaker.Admission;
import chatbridge.control.CircuitBreaker.Change;
import chatbridge.control.CircuitBreaker.Settings;
import chatbridge.control.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

/** One partner's circuit breaker on its own, with explicit instants: when it opens, probes and closes. */
class CircuitBreakerTest {
    /** 70 % of at least 10 requests within 60 s; a probe every 30 s (the shipped defaults). */
    static final Settings DEFAULTS = new Settings(true, 70, 10, Duration.ofSeconds(60), Duration.ofSeconds(30));
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    static CircuitBreaker breaker() {
        return new CircuitBreaker(DEFAULTS);
    }

    /** Records {@code failures} failed and {@code successes} good answers, all at {@code at}; the last change. */
    static Change record(CircuitBreaker breaker, int failures, int successes, Instant at) {
        Change last = Change.NONE;
        for (int i = 0; i < successes; i++) {
            last = breaker.record(false, false, at);
        }
        for (int i = 0; i < failures; i++) {
            last = breaker.record(true, false, at);
        }
        return last;
    }

    /** An open circuit, opened at {@code at}: 10 failures out of 10. */
    static CircuitBreaker opened(Instant at) {
        CircuitBreaker breaker = breaker();
        assertEquals(Change.OPENED, record(breaker, 10, 0, at));
        return breaker;
    }

    @Test
    void aClosedCircuitDelivers() {
        CircuitBreaker breaker = breaker();
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(Admission.DELIVER, breaker.admit());
        assertNull(breaker.nextProbeAt());
    }

    @Test
    void doesNotOpenBelowTheMinimumNumberOfRequests() {
        CircuitBreaker breaker = breaker();
        for (int i = 0; i < 9; i++) {
            assertEquals(Change.NONE, breaker.record(true, false, T0.plusMillis(i)), "failure " + (i + 1));
        }
        assertEquals(State.CLOSED, breaker.state(), "9 failures out of 9: 100 %, but fewer than 10 requests");
        assertEquals(Admission.DELIVER, breaker.admit());
        assertEquals(Change.OPENED, breaker.record(true, false, T0.plusMillis(9)), "the 10th request");
        assertEquals(State.OPEN, breaker.state());
    }

    @Test
    void opensAtExactlyTheFailureRate() {
        // 3 good answers and 6 failures: 6 of 9 (67 %), and too few requests anyway.
        CircuitBreaker breaker = breaker();
        assertEquals(Change.NONE, record(breaker, 6, 3, T0));
        // 7 of 10 = 70 %, exactly the rate: opens.
        assertEquals(Change.OPENED, breaker.record(true, false, T0));
        assertEquals(State.OPEN, breaker.state());
        assertEquals(T0.plus(DEFAULTS.probeInterval()), breaker.nextProbeAt());
    }

    @Test
    void doesNotOpenJustBelowTheFailureRate() {
        // 4 good, then 9 failures: 9 of 13 = 69.2 % < 70 %.
        CircuitBreaker breaker = breaker();
        assertEquals(Change.NONE, record(breaker, 9, 4, T0));
        assertEquals(State.CLOSED, breaker.state());
        // One more failure: 10 of 14 = 71.4 %.
        assertEquals(Change.OPENED, breaker.record(true, false, T0));
    }

    @Test
    void aGoodAnswerNeverOpensItEvenWhenTheRateIsAlreadyMet() {
        // The check runs on failures only: 9 failures then a good answer make 9 of 10, but the circuit opens with
        // the next failure, not with the success.
        CircuitBreaker breaker = breaker();
        assertEquals(Change.NONE, record(breaker, 9, 0, T0));
        assertEquals(Change.NONE, breaker.record(false, false, T0));
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(Change.OPENED, breaker.record(true, false, T0));
    }

    @Test
    void rejectionsOfSingleEventsNeverOpenIt() {
        // 4xx-style answers (400, 404, 410, 3xx...) are recorded as failed = false: the partner is up.
        CircuitBreaker breaker = breaker();
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Change.NONE, breaker.record(false, false, T0.plusMillis(i)));
        }
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(Admission.DELIVER, breaker.admit());
        // They count as requests: 1000 good and 9 failures is far below the rate.
        assertEquals(Change.NONE, record(breaker, 9, 0, T0.plusSeconds(2)));
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void oldFailuresFallOutOfTheWindow() {
        CircuitBreaker breaker = breaker();
        // 9 failures at T0: not enough requests.
        assertEquals(Change.NONE, record(breaker, 9, 0, T0));
        // A 10th failure 61 s later: the 9 are out of the 60 s window now, so 1 of 1, below the minimum.
        assertEquals(Change.NONE, breaker.record(true, false, T0.plusSeconds(61)));
        assertEquals(State.CLOSED, breaker.state());
        // 8 more at +61 s: 9 within the window, still closed; one more makes 10 and opens it.
        assertEquals(Change.NONE, record(breaker, 8, 0, T0.plusSeconds(61)));
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(Change.OPENED, breaker.record(true, false, T0.plusSeconds(62)));
    }

    @Test
    void theWindowIsTheLastSixtySeconds() {
        // Failures 60 s old are out (the window is the 60 seconds up to and including now's).
        CircuitBreaker breaker = breaker();
        assertEquals(Change.NONE, record(breaker, 9, 0, T0));
        assertEquals(Change.NONE, breaker.record(true, false, T0.plusSeconds(60)));
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void failuresWithinTheWindowStillCount() {
        CircuitBreaker breaker = breaker();
        assertEquals(Change.NONE, record(breaker, 9, 0, T0));
        // 59 s later the 9 are still in the 60 s window: 10 of 10.
        assertEquals(Change.OPENED, breaker.record(true, false, T0.plusSeconds(59)));
    }

    @Test
    void oldSuccessesFallOutOfTheWindowToo() {
        CircuitBreaker breaker = breaker();
        // 100 good answers keep 10 failures far below 70 %...
        assertEquals(Change.NONE, record(breaker, 0, 100, T0));
        assertEquals(Change.NONE, record(breaker, 9, 0, T0.plusSeconds(30)));
        // ...until they leave the window: at +61 s only the 9 failures (at +30 s) and this one remain.
        assertEquals(Change.OPENED, breaker.record(true, false, T0.plusSeconds(61)));
    }

    @Test
    void aWindowSlotReusedAfterAFullTurnStartsEmpty() {
        // The ring has 60 slots indexed by epoch second: T0 and T0 + 120 s share one. The old counts must not leak in.
        CircuitBreaker breaker = breaker();
        assertEquals(Change.NONE, record(breaker, 9, 0, T0));
        assertEquals(Change.NONE, breaker.record(true, false, T0.plusSeconds(120)));
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void anOpenCircuitHoldsEveryDelivery() {
        CircuitBreaker breaker = opened(T0);
        for (int i = 0; i < 5; i++) {
            assertEquals(Admission.HOLD, breaker.admit());
        }
        assertEquals(State.OPEN, breaker.state());
    }

    @Test
    void stragglersAnsweredAfterItOpenedChangeNothing() {
        CircuitBreaker breaker = opened(T0);
        // Deliveries admitted before it opened come back afterwards: neither their failures nor their successes move it.
        assertEquals(Change.NONE, breaker.record(true, false, T0.plusSeconds(1)));
        assertEquals(Change.NONE, breaker.record(false, false, T0.plusSeconds(1)));
        assertEquals(State.OPEN, breaker.state());
        assertEquals(T0.plus(DEFAULTS.probeInterval()), breaker.nextProbeAt());
    }

    @Test
    void aProbeIsDueOnlyAfterTheInterval() {
        CircuitBreaker breaker = opened(T0);
        assertFalse(breaker.probeDue(T0));
        assertFalse(breaker.probeDue(T0.plusSeconds(29)));
        assertFalse(breaker.probeDue(T0.plusSeconds(30).minusMillis(101)));
        assertEquals(State.OPEN, breaker.state());
        assertEquals(Admission.HOLD, breaker.admit());

        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(State.HALF_OPEN, breaker.state());
    }

    @Test
    void aClosedCircuitIsNeverDueAProbe() {
        CircuitBreaker breaker = breaker();
        assertFalse(breaker.probeDue(T0.plusSeconds(3600)));
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void halfOpenLetsOneProbeThroughAndTheOthersWait() {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        assertEquals(Admission.WAIT, breaker.admit());
        assertEquals(Admission.WAIT, breaker.admit());
        assertEquals(State.HALF_OPEN, breaker.state());
        // Asking again whether a probe is due while one is under way does not start a second one.
        assertFalse(breaker.probeDue(T0.plusSeconds(31)));
        assertEquals(Admission.WAIT, breaker.admit());
    }

    @Test
    void theProbesSuccessClosesIt() {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());

        assertEquals(Change.CLOSED, breaker.record(false, true, T0.plusSeconds(31)));
        assertEquals(State.CLOSED, breaker.state());
        assertNull(breaker.nextProbeAt());
        assertEquals(Admission.DELIVER, breaker.admit());
        assertEquals(Admission.DELIVER, breaker.admit());
    }

    @Test
    void closedByAProbeItStartsWithAnEmptyWindow() {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        assertEquals(Change.CLOSED, breaker.record(false, true, T0.plusSeconds(31)));
        // The 10 failures that opened it (at T0, still within 60 s) are forgotten: 9 new ones do not reopen it.
        assertEquals(Change.NONE, record(breaker, 9, 0, T0.plusSeconds(32)));
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(Change.OPENED, breaker.record(true, false, T0.plusSeconds(32)));
    }

    @Test
    void theProbesFailureReopensItForAnotherInterval() {
        CircuitBreaker breaker = opened(T0);
        Instant due = T0.plusSeconds(30);
        assertTrue(breaker.probeDue(due));
        assertEquals(Admission.PROBE, breaker.admit());

        Instant failedAt = due.plusMillis(250);
        assertEquals(Change.STILL_OPEN, breaker.record(true, true, failedAt));
        assertEquals(State.OPEN, breaker.state());
        // An interval after the last probe went out (when the circuit went half-open), not after it failed: probes
        // keep their rhythm however long each one takes.
        assertEquals(due.plus(DEFAULTS.probeInterval()), breaker.nextProbeAt());
        assertEquals(Admission.HOLD, breaker.admit());

        // Asked once a second, a tick up to 100 ms early still finds the probe due.
        assertFalse(breaker.probeDue(due.plusSeconds(30).minusMillis(101)));
        assertTrue(breaker.probeDue(due.plusSeconds(30).minusMillis(100)));
        assertEquals(Admission.PROBE, breaker.admit(), "the next interval has its own probe");
        assertEquals(Admission.WAIT, breaker.admit());
    }

    @Test
    void aProbeRejectedLikeA4xxShowsThePartnerIsUpAndClosesIt() {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        assertEquals(Change.CLOSED, breaker.record(false, true, T0.plusSeconds(30)));
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void aProbeThatNeverReachedAVerdictFreesTheSlotForTheNextEvent() {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        assertEquals(Admission.WAIT, breaker.admit());

        // Its exchange ended without an answer recorded (filtered out, transform failed).
        breaker.probeEnded();
        assertEquals(State.HALF_OPEN, breaker.state());
        assertEquals(Admission.PROBE, breaker.admit(), "the next event is the probe");
        assertEquals(Admission.WAIT, breaker.admit());
    }

    @Test
    void probeEndedAfterTheVerdictChangesNothing() {
        // Failed probe: open again; the exchange's end (onCompletion) must not make it half-open or free a slot.
        CircuitBreaker failed = opened(T0);
        assertTrue(failed.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, failed.admit());
        failed.record(true, true, T0.plusSeconds(30));
        failed.probeEnded();
        assertEquals(State.OPEN, failed.state());
        assertEquals(Admission.HOLD, failed.admit());

        // Successful probe: closed, and stays closed.
        CircuitBreaker succeeded = opened(T0);
        assertTrue(succeeded.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, succeeded.admit());
        succeeded.record(false, true, T0.plusSeconds(30));
        succeeded.probeEnded();
        assertEquals(State.CLOSED, succeeded.state());
        assertEquals(Admission.DELIVER, succeeded.admit());
    }

    @Test
    void probeEndedOnAClosedOrOpenCircuitChangesNothing() {
        CircuitBreaker closed = breaker();
        closed.probeEnded();
        assertEquals(State.CLOSED, closed.state());
        assertEquals(Admission.DELIVER, closed.admit());

        CircuitBreaker open = opened(T0);
        open.probeEnded();
        assertEquals(State.OPEN, open.state());
        assertEquals(Admission.HOLD, open.admit());
    }

    @Test
    void closeByAnOperatorEndsAnyStateWithAnEmptyWindow() {
        CircuitBreaker open = opened(T0);
        open.close();
        assertEquals(State.CLOSED, open.state());
        assertNull(open.nextProbeAt());
        assertEquals(Admission.DELIVER, open.admit());
        assertEquals(Change.NONE, record(open, 9, 0, T0));

        CircuitBreaker halfOpen = opened(T0);
        assertTrue(halfOpen.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, halfOpen.admit());
        halfOpen.close();
        assertEquals(Admission.DELIVER, halfOpen.admit());
    }

    @Test
    void disabledSettingsNeverOpenIt() {
        CircuitBreaker breaker = new CircuitBreaker(new Settings(false, 70, 10, Duration.ofSeconds(60), Duration.ofSeconds(30)));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Change.NONE, breaker.record(true, false, T0.plusMillis(i)));
        }
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(Admission.DELIVER, breaker.admit());
        assertFalse(breaker.probeDue(T0.plusSeconds(3600)));
    }

    @Test
    void aOneSecondWindowStillWorks() {
        // A 1 s window is a single slot: each new second starts it afresh.
        CircuitBreaker breaker = new CircuitBreaker(new Settings(true, 70, 4, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals(Change.NONE, record(breaker, 3, 0, T0));
        assertEquals(Change.NONE, breaker.record(true, false, T0.plusSeconds(1)), "the 3 at T0 are out of a 1 s window");
        assertEquals(Change.NONE, record(breaker, 2, 0, T0.plusSeconds(1)));
        assertEquals(Change.OPENED, breaker.record(true, false, T0.plusSeconds(1)));
    }

    @Test
    void awaitVerdictReturnsWhenTheProbesVerdictComesFromAnotherThread() throws Exception {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        assertEquals(Admission.WAIT, breaker.admit());

        CountDownLatch waiting = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            waiting.countDown();
            try {
                breaker.awaitVerdict(deadline);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return System.nanoTime() - start;
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        // The waiter is (about to be) inside awaitVerdict, bounded by a 60 s deadline: not done before the verdict.
        assertFalse(waited.isDone());
        breaker.record(false, true, T0.plusSeconds(31));
        long nanos = waited.get(10, TimeUnit.SECONDS);
        assertTrue(nanos < TimeUnit.SECONDS.toNanos(10), "returned after the verdict, not at the 60 s deadline");
        assertEquals(Admission.DELIVER, breaker.admit());
    }

    @Test
    void awaitVerdictReturnsWhenAFailedProbeReopensIt() throws Exception {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                breaker.awaitVerdict(deadline);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        breaker.record(true, true, T0.plusSeconds(31));
        waited.get(10, TimeUnit.SECONDS);
        assertEquals(Admission.HOLD, breaker.admit());
    }

    @Test
    void awaitVerdictReturnsWhenTheProbeEndsWithoutAVerdict() throws Exception {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                breaker.awaitVerdict(deadline);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        breaker.probeEnded();
        waited.get(10, TimeUnit.SECONDS);
        assertEquals(Admission.PROBE, breaker.admit());
    }

    @Test
    void awaitVerdictReturnsAtTheDeadlineWhenNoVerdictComes() {
        CircuitBreaker breaker = opened(T0);
        assertTrue(breaker.probeDue(T0.plusSeconds(30)));
        assertEquals(Admission.PROBE, breaker.admit());

        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> breaker.awaitVerdict(start + TimeUnit.MILLISECONDS.toNanos(300)));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(300), "returned before the deadline: " + waited + " ns");
        assertEquals(State.HALF_OPEN, breaker.state());
        assertEquals(Admission.WAIT, breaker.admit(), "still under way: the caller decides (PartnerControl holds)");
    }

    @Test
    void awaitVerdictReturnsAtOnceWhenNoProbeIsUnderWayOrTheDeadlineHasPassed() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long farDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            breaker().awaitVerdict(farDeadline); // closed
            opened(T0).awaitVerdict(farDeadline); // open, no probe
            CircuitBreaker halfOpen = opened(T0);
            assertTrue(halfOpen.probeDue(T0.plusSeconds(30)));
            halfOpen.awaitVerdict(farDeadline); // half-open, probe not taken yet
            assertEquals(Admission.PROBE, halfOpen.admit());
            halfOpen.awaitVerdict(System.nanoTime() - 1); // deadline already past
        });
    }
}
