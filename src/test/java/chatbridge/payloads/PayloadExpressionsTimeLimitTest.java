package chatbridge.payloads;

import static chatbridge.payloads.Payloads.ORIGIN;
import static chatbridge.payloads.Payloads.assertFails;
import static chatbridge.payloads.Payloads.json;
import static chatbridge.payloads.Payloads.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Runaway expressions end with a PayloadExpressionException instead of holding a consumer thread. */
class PayloadExpressionsTimeLimitTest {
    static final Duration LIMIT = Duration.ofMillis(200);
    /** Far beyond the limit, so only a runaway that is not stopped fails here; JUnit abandons it then. */
    static final Duration HANG = Duration.ofSeconds(20);
    static final JsonNode ORDER = order("129.90");
    static final String Y = "(function($f){ $f($f) })(function($f){ $f($f) })";

    static PayloadExpression jsonata(String source) {
        return PayloadExpressions.jsonata(source, ORIGIN, LIMIT);
    }

    static PayloadExpression jq(String source) {
        return PayloadExpressions.jq(source, ORIGIN, LIMIT);
    }

    static void assertStopped(String message, Executable evaluation) {
        assertTimeoutPreemptively(HANG, () -> {
            long start = System.nanoTime();
            assertFails(message, evaluation);
            if (message.contains("did not finish")) {
                assertTrue(System.nanoTime() - start >= LIMIT.toNanos(), "stopped at its time limit, not before");
            }
        });
    }

    @Test
    void jsonataEndlessTailRecursionEndsAtTheTimeLimit() {
        // jsonata-java runs tail calls in a loop, so this never deepens the stack: only the clock can stop it.
        assertStopped("jsonata transform did not finish within 200 ms", () -> jsonata(Y).apply(ORDER));
        assertStopped("jsonata filter did not finish within 200 ms", () -> jsonata(Y).test(ORDER));
    }

    @Test
    void jsonataRunawaysEndEvenWhereTheLibraryCatchesOrRewrapsErrors() {
        // "and" turns foreign exceptions into its own "Unexpected"; $sort wraps them in a RuntimeException.
        assertStopped("jsonata filter did not finish within 200 ms", () -> jsonata("true and " + Y).test(ORDER));
        assertStopped("jsonata transform did not finish within 200 ms",
                () -> jsonata("$sort([3, 1, 2], function($a, $b){ " + Y + " })").apply(ORDER));
    }

    @Test
    void jsonataRunawayRecursionEndsAtTheDepthLimitBeforeTheStack() throws Exception {
        // On a thread with the JVM's default 1 MB stack, as the JMS consumers have; through $map the stack would
        // overflow at about 400 nested steps.
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread consumer = new Thread(null, () -> {
            try {
                assertStopped("jsonata transform went deeper than 200 nested steps (a runaway recursion?)",
                        () -> jsonata("($f := function($n){ 1 + $f($n + 1) }; $f(0))").apply(ORDER));
                assertStopped("jsonata transform went deeper than 200 nested steps (a runaway recursion?)",
                        () -> jsonata("($f := function($n){ $sum($map([$n], function($x){ $f($x) })) }; $f(0))").apply(ORDER));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "consumer-like", 1024 * 1024);
        consumer.start();
        consumer.join(HANG.toMillis());
        if (outcome.get() != null) {
            throw new AssertionError(outcome.get());
        }
        assertEquals(json("3628800"),
                jsonata("($fact := function($n){ $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))").apply(ORDER),
                "modest recursion stays within the depth limit");
    }

    @Test
    void jqEndlessGeneratorsEndAtTheTimeLimit() {
        assertStopped("jq transform did not finish within 200 ms", () -> jq("[range(infinite)]").apply(ORDER));
        assertStopped("jq transform did not finish within 200 ms",
                () -> jq("reduce range(infinite) as $i (0; . + $i)").apply(ORDER));
        assertStopped("jq filter did not finish within 200 ms", () -> jq("[range(infinite)] | length > 0").test(ORDER));
        // The signal is not a jq error, so jq's try (and ?) cannot swallow it.
        assertStopped("jq transform did not finish within 200 ms",
                () -> jq("try ([range(infinite)]) catch \"swallowed\"").apply(ORDER));
        assertStopped("jq transform did not finish within 200 ms",
                () -> jq("[range(1e12) | tostring] | length").apply(ORDER));
    }

    @Test
    void jqEndlessRecursionEndsWhenTheStackDoes() {
        // jackson-jq has no repeat/1; this is jq's own definition of it.
        assertStopped("jq transform recursed until the stack ran out (a runaway recursion?)",
                () -> jq("def repeat(f): def _repeat: ., (f | _repeat); _repeat; [repeat(.)]").apply(ORDER));
        assertStopped("jq filter recursed until the stack ran out (a runaway recursion?)",
                () -> jq("until(false; .)").test(ORDER));
    }

    @Test
    void theLimitCountsFromEachEvaluationAndLeavesEarlyEndsAlone() {
        PayloadExpression byJsonata = jsonata("$number(data.order.total.amount) >= 100");
        PayloadExpression byJq = jq("[limit(3; range(infinite))]");
        assertTimeoutPreemptively(HANG, () -> {
            // Several limits' worth of quick evaluations: a deadline set at compile time would fail the later ones.
            long until = System.nanoTime() + 3 * LIMIT.toNanos();
            int evaluations = 0;
            while (System.nanoTime() < until) {
                assertTrue(byJsonata.test(ORDER));
                assertEquals(json("[0,1,2]"), byJq.apply(ORDER), "label/break still ends range early");
                evaluations++;
            }
            assertTrue(evaluations > 10, evaluations + " evaluations");
            // And after a runaway was stopped, the same thread's next evaluation has a full budget again.
            assertFails("jq transform did not finish within 200 ms", () -> jq("[range(infinite)]").apply(ORDER));
            assertFails("jsonata transform did not finish within 200 ms", () -> jsonata(Y).apply(ORDER));
            assertTrue(byJsonata.test(ORDER));
            assertEquals(json("[0,1,2]"), byJq.apply(ORDER));
        });
    }
}
