package chatbridge.payloads;

/**
 * What one evaluation may still spend: time, and for JSONata nesting depth. Both libraries evaluate synchronously
 * on the caller's thread, so instead of a watchdog thread the evaluation itself calls {@link #tick()} at points
 * where it can loop (every JSONata step, every jq built-in call and range value) and is thrown out once it is over.
 * One instance belongs to one thread and is reused for each of its evaluations.
 */
final class Budget {
    enum Limit { TIME, DEPTH }

    /** Reading the clock costs about as much as a cheap step, so it is read every 64th tick only. */
    private static final int CLOCK_EVERY = 64;

    private long deadline;
    private long startMillis;
    private int ticks;
    private int depth;
    private int maxDepth;
    private Limit exceeded;
    private boolean running;

    void start(long timeLimitNanos, int maxDepth) {
        if (running) {
            // An evaluation never runs another one; if it ever did, both would share and corrupt these counters.
            throw new IllegalStateException("an expression evaluation is already running on this thread");
        }
        running = true;
        this.maxDepth = maxDepth;
        startMillis = 0; // read on first use: most evaluations never ask
        deadline = System.nanoTime() + timeLimitNanos;
        ticks = 0;
        depth = 0;
        exceeded = null;
    }

    void finish() {
        running = false;
    }

    /** The evaluation's wall-clock time, fixed at its first reading: JSONata's $now() and $millis() throughout it. */
    long startMillis() {
        if (startMillis == 0) {
            startMillis = System.currentTimeMillis();
        }
        return startMillis;
    }

    void tick() {
        if (exceeded != null) {
            // Something between here and the caller swallowed the first signal (JSONata's $replace callbacks do).
            throw Exceeded.SIGNAL;
        }
        if (++ticks % CLOCK_EVERY == 0 && running && System.nanoTime() - deadline > 0) {
            exceed(Limit.TIME);
        }
    }

    void enter() {
        if (++depth > maxDepth) {
            exceed(Limit.DEPTH);
        }
        tick();
    }

    void leave() {
        depth--;
    }

    /** Which limit was hit, or null. Checked after the evaluation whatever the libraries made of the signal. */
    Limit exceeded() {
        return exceeded;
    }

    private void exceed(Limit limit) {
        exceeded = limit;
        throw Exceeded.SIGNAL;
    }

    /**
     * Unwinds an evaluation that is over its budget. Not a library exception type, so neither jq's try nor JSONata's
     * error handling treats it as an expression error; it carries nothing, so one instance serves all threads.
     */
    static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Exceeded SIGNAL = new Exceeded();

        private Exceeded() {
            super("evaluation budget exceeded", null, false, false);
        }
    }
}
