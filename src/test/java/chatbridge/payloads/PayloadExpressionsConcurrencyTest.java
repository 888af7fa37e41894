package chatbridge.payloads;

import static chatbridge.payloads.Payloads.json;
import static chatbridge.payloads.Payloads.jq;
import static chatbridge.payloads.Payloads.jsonata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The bridge's consumers share one compiled expression between 8 threads. jsonata-java evaluated without a frame
 * of its own per evaluation returns another thread's $$ in about 4% of these results; this test sees every one.
 */
class PayloadExpressionsConcurrencyTest {
    static final int THREADS = 8;
    static final int EVENTS_PER_THREAD = 3_000;

    // Root input ($$), a block variable, a lambda closing over it, a higher-order function and $now.
    static final PayloadExpression JSONATA_TRANSFORM = jsonata("""
            ($total := $number(data.order.total.amount);
             {"id": $$.data.id, "double": $total * 2,
              "lines": $map(data.order.lines, function($l){ data.id & ":" & $l }),
              "fresh": $millis() >= 0})""");
    static final PayloadExpression JSONATA_FILTER = jsonata("$number(data.order.total.amount) % 2 = 0");
    // A variable, a function definition, reduce and a built-in written in jq (map).
    static final PayloadExpression JQ_TRANSFORM = jq("""
            def tag($x): .data.id + ":" + $x;
            (.data.order.total.amount | tonumber) as $total
            | {id: .data.id, double: ($total * 2), lines: [.data.order.lines[] as $l | tag($l)],
               fresh: ((reduce range(3) as $i (0; . + $i)) == 3)}""");
    static final PayloadExpression JQ_FILTER = jq("(.data.order.total.amount | tonumber) % 2 == 0");

    @Test
    void eightThreadsShareEachCompiledExpressionAndEveryResultIsTheirOwn() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> checked = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    checked.add(pool.submit(consumer(t, start)));
                }
                for (Future<Integer> thread : checked) {
                    assertEquals(EVENTS_PER_THREAD * 4, thread.get());
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /** Evaluates all four expressions on its own events; returns how many results it checked, failing on a wrong one. */
    private static Callable<Integer> consumer(int thread, CyclicBarrier start) {
        return () -> {
            start.await(); // all threads evaluate at the same time, not one after another as they are created
            int checked = 0;
            for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                String id = "evt-" + thread + "-" + i;
                JsonNode event = json("""
                        {"data":{"id":"%s","order":{"total":{"amount":"%d"},"lines":["a%d","b%d"]}}}
                        """.formatted(id, i, i, thread));
                JsonNode expected = json("""
                        {"id":"%s","double":%d,"lines":["%s:a%d","%s:b%d"],"fresh":true}
                        """.formatted(id, 2 * i, id, i, id, thread));
                for (PayloadExpression transform : List.of(JSONATA_TRANSFORM, JQ_TRANSFORM)) {
                    assertEquals(expected, transform.apply(event), transform.language() + " transform of " + id);
                    checked++;
                }
                for (PayloadExpression filter : List.of(JSONATA_FILTER, JQ_FILTER)) {
                    assertEquals(i % 2 == 0, filter.test(event), filter.language() + " filter of " + id);
                    checked++;
                }
            }
            return checked;
        };
    }

    @Test
    void expressionsEvaluatedInTurnOnOneThreadKeepTheirOwnState() {
        // jsonata-java keeps a per-thread evaluator shared by every expression of the thread (its issue #93).
        PayloadExpression first = jsonata("($x := 'first'; $x & ':' & data.id)");
        PayloadExpression second = jsonata("($y := 'second'; [$x, $y, data.id])");
        JsonNode event = json("{\"data\":{\"id\":\"e\"}}");
        for (int i = 0; i < 3; i++) {
            assertEquals(json("\"first:e\""), first.apply(event));
            assertEquals(json("[\"second\",\"e\"]"), second.apply(event), "no $x from the other expression");
        }
    }
}
