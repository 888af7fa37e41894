package chatbridge.payloads;

import java.util.List;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Parser.Symbol;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSONata by dashjoin jsonata-java 0.9.9. One compiled {@link Jsonata} serves every thread; the library evaluates
 * through a per-thread scratch instance (Jsonata.getPerThreadInstance) and never changes the parsed tree, but three
 * things of its own are not safe for that, and are worked around here:
 * <ul>
 * <li>evaluate(input) without a frame binds the input as {@code $$} in the expression's shared environment, so
 * concurrent evaluations read each other's input: each evaluation passes a frame, which the library copies into a
 * new one;</li>
 * <li>the scratch instance of the thread that compiled an expression is that expression itself (see the
 * constructor);</li>
 * <li>$now() and $millis() read the scratch instance's clock, which on other threads is never updated: the frame
 * carries its own pair.</li>
 * </ul>
 * The frame also carries the runtime-bounds callbacks that keep the time and depth limits. (The library's own
 * Timebox counts time from its construction, not from each evaluation, and reads the clock twice per step.)
 */
final class JsonataExpression implements PayloadExpression {
    /**
     * Nested evaluation steps allowed, about 3 per level of a recursive function. A 1 MB thread stack (the JVM's
     * default) overflows at about 400 when the recursion goes through $map and at about 1,100 otherwise; payload
     * shaping needs a few dozen.
     */
    static final int MAX_DEPTH = 200;

    /** Each thread's budget, and the frame that reports to it: built once per thread, reused per evaluation. */
    private static final ThreadLocal<Run> RUNS = ThreadLocal.withInitial(Run::new);

    static {
        // The library builds the helper for chaining functions (f ~> g) lazily in a plain static field; building it
        // here, during class initialisation, publishes it safely to every thread that evaluates through this class.
        Jsonata.jsonata("($f := function($x){ $x }; ($f ~> $f)(1))").evaluate(null);
    }

    private final Jsonata compiled;
    private final String origin;
    private final String source;
    private final long timeLimitNanos;

    JsonataExpression(String source, String origin, long timeLimitNanos) {
        this.origin = origin;
        this.source = source;
        this.timeLimitNanos = timeLimitNanos;
        try {
            this.compiled = Jsonata.jsonata(source);
        } catch (JException e) {
            throw new IllegalArgumentException(origin + ": not a valid JSONata expression: " + describe(e));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + ": not a valid JSONata expression: " + Details.of(e));
        }
        if (compiled.getErrors() != null && !compiled.getErrors().isEmpty()) {
            throw new IllegalArgumentException(origin + ": not a valid JSONata expression: "
                    + Details.of(compiled.getErrors().get(0)));
        }
        // The input is converted from a Jackson tree, so it holds JSON types only: skip re-checking it every time.
        compiled.setValidateInput(false);
        // Compiling also made this instance the thread's scratch evaluator (Jsonata.current), into whose environment
        // field every evaluation step on this thread writes its frame; evaluate() starts from that same field, so
        // its next evaluations would see the last one's variables. A throwaway expression takes over the role.
        Jsonata.jsonata("$");
    }

    @Override
    public String language() {
        return "jsonata";
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public JsonNode apply(JsonNode input) {
        Object result = evaluate(input, "transform");
        // jsonata-java turns a JSON null result into Java null too, so a top-level null reads as no value.
        if (result == null) {
            throw new PayloadExpressionException("jsonata transform produced no value");
        }
        try {
            return JsonataValues.toJson(result);
        } catch (JsonataValues.NotJson e) {
            throw new PayloadExpressionException("jsonata transform produced " + e.getMessage() + ", not JSON");
        }
    }

    @Override
    public boolean test(JsonNode input) {
        // $boolean() of no value is no value; as a condition that is false.
        return Boolean.TRUE.equals(Functions.toBoolean(evaluate(input, "filter")));
    }

    private Object evaluate(JsonNode input, String role) {
        Run run = RUNS.get();
        run.budget.start(timeLimitNanos, MAX_DEPTH);
        try {
            Object result = compiled.evaluate(JsonataValues.toJava(input), run.frame);
            if (run.budget.exceeded() != null) {
                throw Budget.Exceeded.SIGNAL; // a step swallowed the signal; its result is not to be trusted
            }
            return result;
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(role, e, run.budget.exceeded());
        } finally {
            run.budget.finish();
        }
    }

    private PayloadExpressionException failure(String role, Throwable e, Budget.Limit exceeded) {
        // Whatever surfaced (JSONata's "and" turns foreign exceptions into its own "Unexpected"), the budget knows.
        if (exceeded == Budget.Limit.TIME) {
            return new PayloadExpressionException("jsonata " + role + " did not finish within "
                    + timeLimitNanos / 1_000_000 + " ms");
        }
        if (exceeded == Budget.Limit.DEPTH || Details.stackOverflow(e)) {
            return new PayloadExpressionException("jsonata " + role + " went deeper than " + MAX_DEPTH
                    + " nested steps (a runaway recursion?)");
        }
        return new PayloadExpressionException("jsonata " + role + " failed: "
                + (e instanceof JException ? describe((JException) e) : Details.of(e)));
    }

    /** The library's message with where in the expression it applies; $error()'s own message as written. */
    private static String describe(JException e) {
        String message = Details.clip(String.valueOf(e.getMessage()));
        boolean userError = "D3137".equals(e.getError());
        return userError || e.getLocation() <= 0 ? message : message + " (at character " + e.getLocation() + ")";
    }

    /** One thread's budget and the frame through which the library reports every step to it. */
    private static final class Run implements Jsonata.EntryCallback, Jsonata.ExitCallback {
        final Budget budget = new Budget();
        final Jsonata.Frame frame = new Jsonata.Frame(null);

        Run() {
            // evaluate(input, frame) copies these bindings into a new frame for each evaluation; it never writes here.
            frame.setEvaluateEntryCallback(this);
            frame.setEvaluateExitCallback(this);
            frame.bind("now", new Jsonata.JFunction((input, args) -> Functions.dateTimeFromMillis(
                    budget.startMillis(), (String) arg(args, 0), (String) arg(args, 1)), "<s?s?:s>"));
            frame.bind("millis", new Jsonata.JFunction((input, args) -> budget.startMillis(), "<:n>"));
        }

        private static Object arg(List<?> args, int index) {
            return args != null && args.size() > index ? args.get(index) : null;
        }

        @Override
        public void callback(Symbol expr, Object input, Jsonata.Frame environment) {
            budget.enter();
        }

        @Override
        public void callback(Symbol expr, Object input, Jsonata.Frame environment, Object result) {
            budget.leave();
        }
    }
}
