package chatbridge.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * One partner's circuit breaker. Closed, it counts the partner's answers over a sliding window; when at least
 * {@code minimumRequests} requests in the window and {@code failureRatePercent} of them failed (no answer, timeout,
 * 408, 425, 429, 5xx), it opens: the bridge stops taking the partner's events, which wait on its queue. Every
 * {@code probeInterval} it lets one event through as a probe (half-open); the probe's success closes it, its failure
 * keeps it open for another interval. Answers that reject one event (other 4xx) show the partner is up: they count
 * as successes here and never open the circuit.
 *
 * <p>With several bridges on one broker the circuit is the partner's: the bridge that opened it (or whose probe
 * failed last) is the prober and tells the others, who {@link #follow} it: open too, and due a probe only one
 * interval after the prober's next one, so the partner gets one probe per interval from all of them together, and
 * another bridge takes over probing if the prober goes quiet. Two probers that hear each other settle on the one
 * whose bridge id sorts first.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    enum Admission {
        /** Closed: deliver as usual. */
        DELIVER,
        /** Half-open: this delivery is the one probe. */
        PROBE,
        /** Half-open with its probe under way: wait for its verdict. */
        WAIT,
        /** Open: the event goes back to its queue, its attempt not spent. */
        HOLD
    }

    /** A change of state worth one log line (and, but for FOLLOWED and NONE, worth telling the other bridges). */
    enum Change { NONE, OPENED, CLOSED, STILL_OPEN, FOLLOWED }

    /** The settings; {@code enabled = false} keeps every circuit closed. */
    record Settings(boolean enabled, int failureRatePercent, int minimumRequests, Duration window, Duration probeInterval) {
    }

    private static final Duration TICK_SLACK = Duration.ofMillis(100);

    private final Settings settings;
    /** Requests and failures per second of the window, as rings indexed by epoch second. */
    private final int[] requests;
    private final int[] failures;
    private final long[] bucketSecond;
    private State state = State.CLOSED;
    private boolean probeUnderWay;
    private Instant nextProbeAt;
    /** When the circuit last went half-open: the next probe is due an interval after the last one was. */
    private Instant halfOpenedAt;
    /** Open because another bridge said so, which probes first; false once this bridge opened it or probed. */
    private boolean following;

    CircuitBreaker(Settings settings) {
        this.settings = settings;
        int seconds = (int) Math.max(1, settings.window().toSeconds());
        this.requests = new int[seconds];
        this.failures = new int[seconds];
        this.bucketSecond = new long[seconds];
    }

    synchronized State state() {
        return state;
    }

    synchronized Instant nextProbeAt() {
        return nextProbeAt;
    }

    synchronized Admission admit() {
        return switch (state) {
            case CLOSED -> Admission.DELIVER;
            case OPEN -> Admission.HOLD;
            case HALF_OPEN -> {
                if (probeUnderWay) {
                    yield Admission.WAIT;
                }
                probeUnderWay = true;
                yield Admission.PROBE;
            }
        };
    }

    /** Waits (at most until {@code deadline}) for the probe under way to reach its verdict. */
    synchronized void awaitVerdict(long deadlineNanos) throws InterruptedException {
        long left;
        while (state == State.HALF_OPEN && probeUnderWay && (left = deadlineNanos - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Counts one request's outcome.
     *
     * @param failed whether the partner failed it (no answer, timeout, 408, 425, 429, 5xx)
     * @param probe  whether it was the half-open circuit's probe
     */
    synchronized Change record(boolean failed, boolean probe, Instant now) {
        if (probe) {
            probeUnderWay = false;
            notifyAll();
            following = false;
            if (failed) {
                state = State.OPEN;
                nextProbeAt = (halfOpenedAt == null ? now : halfOpenedAt).plus(settings.probeInterval());
                return Change.STILL_OPEN;
            }
            close();
            return Change.CLOSED;
        }
        if (state != State.CLOSED) {
            // Admitted before the circuit opened: the probe, not stragglers, decides when it closes.
            return Change.NONE;
        }
        int slot = slot(now.getEpochSecond());
        requests[slot]++;
        if (failed) {
            failures[slot]++;
        }
        if (!settings.enabled() || !failed) {
            return Change.NONE;
        }
        long windowRequests = 0;
        long windowFailures = 0;
        long oldest = now.getEpochSecond() - requests.length;
        for (int i = 0; i < requests.length; i++) {
            if (bucketSecond[i] > oldest) {
                windowRequests += requests[i];
                windowFailures += failures[i];
            }
        }
        if (windowRequests >= settings.minimumRequests()
                && windowFailures * 100 >= (long) settings.failureRatePercent() * windowRequests) {
            state = State.OPEN;
            following = false;
            nextProbeAt = now.plus(settings.probeInterval());
            return Change.OPENED;
        }
        return Change.NONE;
    }

    /**
     * Open and due a probe: half-open, and true. Asked once a second; a probe due within {@link #TICK_SLACK} counts as
     * due now, or a tick that comes a few milliseconds early would push every probe a whole second later.
     */
    synchronized boolean probeDue(Instant now) {
        if (state == State.OPEN && !now.plus(TICK_SLACK).isBefore(nextProbeAt)) {
            state = State.HALF_OPEN;
            probeUnderWay = false;
            halfOpenedAt = now;
            return true;
        }
        return false;
    }

    /**
     * Another bridge opened the partner's circuit, or its probe failed; it probes next at {@code probeAt}. This
     * circuit opens too and waits one interval longer, unless it is a prober itself and comes first by bridge id
     * ({@code thisBridgeFirst}): then it goes on probing and the other bridge follows it once it hears from it.
     */
    synchronized Change follow(Instant probeAt, boolean thisBridgeFirst) {
        boolean prober = state != State.CLOSED && !following;
        if (prober && thisBridgeFirst) {
            return Change.NONE;
        }
        if (state == State.HALF_OPEN && probeUnderWay) {
            return Change.NONE; // this probe's verdict comes first, and is told to the others
        }
        Change change = state == State.CLOSED ? Change.FOLLOWED : Change.NONE;
        state = State.OPEN;
        following = true;
        probeUnderWay = false;
        nextProbeAt = probeAt.plus(settings.probeInterval());
        notifyAll();
        return change;
    }

    /** Closed again, with an empty window: an operator resumed the partner, or a probe succeeded. */
    synchronized void close() {
        state = State.CLOSED;
        probeUnderWay = false;
        following = false;
        nextProbeAt = null;
        Arrays.fill(requests, 0);
        Arrays.fill(failures, 0);
        notifyAll();
    }

    /**
     * The probe's exchange is over. If it never reached the partner (its filter turned the event away, its transform
     * failed), the circuit stays half-open and the next event becomes the probe.
     */
    synchronized void probeEnded() {
        if (state == State.HALF_OPEN && probeUnderWay) {
            probeUnderWay = false;
            notifyAll();
        }
    }

    private int slot(long second) {
        int slot = (int) Math.floorMod(second, (long) requests.length);
        if (bucketSecond[slot] != second) {
            bucketSecond[slot] = second;
            requests[slot] = 0;
            failures[slot] = 0;
        }
        return slot;
    }
}
