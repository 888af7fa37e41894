package chatbridge.payloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PayloadExpressionsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration LIMIT = Duration.ofMillis(500);

    static JsonNode order(String amount) throws Exception {
        return JSON.readTree("""
                {"type":"order.completed","timestamp":"2026-11-24T10:00:00Z","data":{"id":"evt-1",
                 "order":{"id":"o-1","total":{"amount":"%s","currency":"USD"},"items":[{"quantity":2}]},"visitor":{"id":"v-1"}}}
                """.formatted(amount));
    }

    static PayloadExpression jsonata(String source) {
        return PayloadExpressions.jsonata(source, "partners.yaml, partner 'acme', transform", LIMIT);
    }

    static PayloadExpression jq(String source) {
        return PayloadExpressions.jq(source, "partners.yaml, partner 'acme', transform", LIMIT);
    }

    @Test
    void transformsInBothLanguagesKeepNumbersAndStrings() throws Exception {
        JsonNode in = order("129.90");
        assertEquals(JSON.readTree("{\"orderId\":\"o-1\",\"total\":\"129.90\",\"items\":2,\"half\":1.5}"),
                jsonata("{'orderId': data.order.id, 'total': data.order.total.amount, 'items': $sum(data.order.items.quantity), 'half': 3/2}").apply(in));
        assertEquals("{\"orderId\":\"o-1\",\"items\":2}",
                jsonata("{'orderId': data.order.id, 'items': data.order.items[0].quantity}").apply(in).toString(),
                "a whole number stays whole, not 2.0");
        assertEquals(JSON.readTree("{\"orderId\":\"o-1\",\"total\":\"129.90\"}"),
                jq("{orderId: .data.order.id, total: .data.order.total.amount}").apply(in));
    }

    @Test
    void filtersFollowEachLanguagesTruth() throws Exception {
        PayloadExpression byJsonata = jsonata("$number(data.order.total.amount) >= 100");
        PayloadExpression byJq = jq("(.data.order.total.amount | tonumber) >= 100");
        assertTrue(byJsonata.test(order("129.90")) && byJq.test(order("129.90")));
        assertFalse(byJsonata.test(order("99.00")) || byJq.test(order("99.00")));
        assertFalse(jsonata("data.nothing").test(order("1")), "no value is false");
        assertFalse(jq("empty").test(order("1")), "no output is false");
        assertFalse(jq("null").test(order("1")));
        assertTrue(jq("0").test(order("1")), "in jq only false and null are false");
        assertFalse(jsonata("0").test(order("1")), "in JSONata 0 is false");
    }

    @Test
    void aSyntaxErrorNamesWhereTheExpressionWasWritten() {
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class, () -> jsonata("{'a': "));
        assertTrue(j.getMessage().startsWith("partners.yaml, partner 'acme', transform: not a valid JSONata expression"), j.getMessage());
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> jq(".a | | .b"));
        assertTrue(q.getMessage().startsWith("partners.yaml, partner 'acme', transform: not a valid jq expression"), q.getMessage());
    }

    @Test
    void failuresNoValueAndSeveralValuesAreReportedWithTheirDetail() throws Exception {
        JsonNode in = order("1");
        assertDetail("no tickets today", () -> jsonata("$error('no tickets today')").apply(in));
        assertDetail("produced no value", () -> jsonata("data.nothing").apply(in));
        assertDetail("not JSON", () -> jsonata("function($x){$x}").apply(in));
        assertDetail("failed", () -> jq("error(\"boom\")").apply(in));
        assertDetail("produced no value", () -> jq("empty").apply(in));
        assertDetail("more than one result", () -> jq(".data.order.id, .data.id").apply(in));
        assertDetail("failed", () -> jq(".data.order.total.amount | tonumber | . + {}").apply(in));
    }

    @Test
    void runawayExpressionsEndInsteadOfHoldingTheConsumer() throws Exception {
        JsonNode in = order("1");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertDetail("failed", () -> jsonata("($f := function($x){ $f($x) }; $f(1))").apply(in));
            assertDetail("within 500 ms", () -> jsonata("($loop := function($n){ $n < 0 ? $n : $loop($n + 1) }; $loop(0))").apply(in));
            assertDetail("more than one result", () -> jq("range(1000000000)").apply(in));
        });
    }

    @Test
    void oneCompiledExpressionServesManyThreadsAtOnce() throws Exception {
        PayloadExpression byJsonata = jsonata("{'id': data.id, 'total': $number(data.order.total.amount) * 2}");
        PayloadExpression byJq = jq("{id: .data.id, total: (.data.order.total.amount | tonumber * 2)}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String id = "evt-" + thread + "-" + i;
                        JsonNode in = JSON.readTree("{\"data\":{\"id\":\"" + id + "\",\"order\":{\"total\":{\"amount\":\"" + i + "\"}}}}");
                        for (PayloadExpression e : List.of(byJsonata, byJq)) {
                            JsonNode out = e.apply(in);
                            if (!out.get("id").asText().equals(id) || out.get("total").asLong() != 2L * i) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "every thread got its own results");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void assertDetail(String expected, org.junit.jupiter.api.function.Executable evaluation) {
        PayloadExpressionException e = assertThrows(PayloadExpressionException.class, evaluation);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
