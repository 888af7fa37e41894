package chatbridge.payloads;

import static chatbridge.payloads.Payloads.ORIGIN;
import static chatbridge.payloads.Payloads.assertFails;
import static chatbridge.payloads.Payloads.json;
import static chatbridge.payloads.Payloads.jq;
import static chatbridge.payloads.Payloads.jsonata;
import static chatbridge.payloads.Payloads.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PayloadExpressionsTest {
    static final JsonNode ORDER = order("129.90");
    static final String CARD = """
            {"kind":"order","order":"o-1","total":"129.90","currency":"USD","visitor":"v-1","at":"2026-11-24T10:00:00Z"}""";

    @Test
    void aJsonataTransformMakesTheWebhookBody() {
        PayloadExpression transform = jsonata("""
                {"kind": $substringBefore(type, "."), "order": data.order.id, "total": data.order.total.amount,
                 "currency": data.order.total.currency, "visitor": data.visitor.id, "at": timestamp}""");
        assertEquals(json(CARD), transform.apply(ORDER));
        assertEquals("jsonata", transform.language());
        assertEquals(ORIGIN, transform.origin());
    }

    @Test
    void aJqTransformMakesTheWebhookBody() {
        PayloadExpression transform = jq("""
                {kind: (.type | split(".") | first), order: .data.order.id, total: .data.order.total.amount,
                 currency: .data.order.total.currency, visitor: .data.visitor.id, at: .timestamp}""");
        assertEquals(json(CARD), transform.apply(ORDER));
        assertEquals("jq", transform.language());
        assertEquals(ORIGIN, transform.origin());
    }

    @Test
    void jsonataKeepsWholeNumbersWholeAndDecimalStringsStrings() {
        JsonNode in = json("{\"n\":100,\"big\":12345678901,\"d\":100.25,\"s\":\"129.90\",\"z\":null,\"list\":[1,null,true]}");
        assertEquals("{\"n\":100,\"big\":12345678901,\"d\":100.25,\"s\":\"129.90\",\"z\":null,\"list\":[1,null,true]}",
                jsonata("$").apply(in).toString(), "what goes in unchanged comes out unchanged");
        assertEquals("{\"whole\":100,\"product\":5,\"half\":1.5,\"parsed\":129.9,\"sum\":200,\"big\":10000000000}",
                jsonata("""
                        {"whole": n, "product": 2.5 * 2, "half": 3 / 2, "parsed": $number(s), "sum": n + n,
                         "big": 100000 * 100000}""").apply(in).toString());
        assertEquals("{\"explicit\":null}", jsonata("{\"explicit\": null, \"undefined\": nothing}").apply(in).toString(),
                "JSON null is kept, an undefined member is left out as JSONata does");
    }

    @Test
    void jqNumbersThatJsonCannotHoldArePrintedAsJqPrintsThem() {
        assertEquals("[null,1.7976931348623157E308,{\"low\":-1.7976931348623157E308}]",
                jq("[nan, infinite, {low: -infinite}]").apply(ORDER).toString());
        assertEquals("{\"n\":100,\"d\":100.25,\"s\":\"129.90\"}",
                jq("{n: 100, d: 100.25, s: .data.order.total.amount}").apply(ORDER).toString());
    }

    @Test
    void theOrderFilterHoldsAt129AndNotAt99InBothLanguages() {
        PayloadExpression byJsonata = jsonata("$number(data.order.total.amount) >= 100");
        PayloadExpression byJq = jq("(.data.order.total.amount | tonumber) >= 100");
        assertTrue(byJsonata.test(order("129.90")));
        assertTrue(byJq.test(order("129.90")));
        assertFalse(byJsonata.test(order("99.00")));
        assertFalse(byJq.test(order("99.00")));
    }

    @Test
    void aJsonataFilterIsCastAsBoolean() {
        for (String falsy : new String[] {"data.nothing", "\"\"", "0", "[]", "{}", "null", "false", "[0, false]", "$sum"}) {
            assertFalse(jsonata(falsy).test(ORDER), falsy);
        }
        for (String truthy : new String[] {"data.id", "1", "[0, 1]", "{\"a\": 0}", "true", "\" \""}) {
            assertTrue(jsonata(truthy).test(ORDER), truthy);
        }
    }

    @Test
    void aJqFilterIsItsFirstOutputByJqTruthiness() {
        for (String falsy : new String[] {"empty", "null", "false", ".data.nothing", "false, true"}) {
            assertFalse(jq(falsy).test(ORDER), falsy);
        }
        for (String truthy : new String[] {"0", "\"\"", "[]", "{}", "true", "true, error(\"never reached\")"}) {
            assertTrue(jq(truthy).test(ORDER), truthy);
        }
    }

    @Test
    void aSyntaxErrorNamesTheOriginAndWhatIsWrong() {
        assertSyntaxError(ORIGIN + ": not a valid JSONata expression: Expected \"}\" before end of expression (at character 6)",
                () -> jsonata("{'a': "));
        assertSyntaxError(ORIGIN + ": not a valid JSONata expression: String literal must be terminated by a matching quote"
                + " (at character 12)", () -> jsonata("data.id & 'x"));
        assertSyntaxError(ORIGIN + ": not a valid jq expression: unexpected \"|\" at line 1, column 6",
                () -> jq(".a | | .b"));
        assertSyntaxError(ORIGIN + ": not a valid jq expression: unexpected end of expression at line 2, column 7",
                () -> jq("{id: .data.id,\n total:"));
    }

    private static void assertSyntaxError(String message, Executable compile) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, compile);
        assertEquals(message, e.getMessage());
    }

    @Test
    void runtimeErrorsCarryTheLibrarysMessage() {
        assertFails("jsonata transform failed: no tickets today", () -> jsonata("$error('no tickets today')").apply(ORDER));
        assertFails("jsonata transform failed: The right side of the \"+\" operator must evaluate to a number",
                () -> jsonata("1 + data.id").apply(ORDER));
        assertFails("jsonata filter failed: The expressions either side of operator \">=\" must evaluate to numeric or string values",
                () -> jsonata("data.order.total ~> $keys() >= 100").test(ORDER));
        assertFails("jq transform failed: boom", () -> jq("error(\"boom\")").apply(ORDER));
        assertFails("jq transform failed: number (129.9) and object ({}) cannot be added",
                () -> jq(".data.order.total.amount | tonumber | . + {}").apply(ORDER));
        assertFails("jq filter failed: Cannot index string with string \"id\"", () -> jq(".type.id").test(ORDER));
        assertFails("jq filter failed: Function repeat/1 does not exist", () -> jq("first(repeat(.))").test(ORDER));
    }

    @Test
    void aTransformMustProduceExactlyOneValue() {
        assertFails("jsonata transform produced no value", () -> jsonata("data.nothing").apply(ORDER));
        assertFails("jq transform produced no value", () -> jq("empty").apply(ORDER));
        assertFails("jq transform produced no value", () -> jq(".data | select(.id == \"other\")").apply(ORDER));
        assertFails("jq transform produced 2 results; a transform must produce exactly one (wrap it in [ ] to send"
                + " them as an array)", () -> jq(".data.order.id, .data.id").apply(ORDER));
        assertFails("jq transform produced more than 100 results; a transform must produce exactly one (wrap it in"
                + " [ ] to send them as an array)", () -> jq("range(1e15)").apply(ORDER));
    }

    @Test
    void aFunctionIsNotJson() {
        assertFails("jsonata transform produced a function, not JSON", () -> jsonata("function($x){ $x }").apply(ORDER));
        assertFails("jsonata transform produced a function, not JSON", () -> jsonata("{\"f\": $sum}").apply(ORDER));
        assertFails("jsonata transform produced a function, not JSON", () -> jsonata("[1, $uppercase]").apply(ORDER));
    }

    @Test
    void messagesQuoteLittleOfThePayloadAndHaveNoStackTrace() {
        JsonNode big = json("{\"text\":\"" + "x".repeat(5_000) + "\"}");
        for (Executable evaluation : new Executable[] {
                () -> jq("error(.)").apply(big),
                () -> jsonata("$error(text)").apply(big),
                () -> jsonata("$substring($)").apply(big)}) {
            PayloadExpressionException e = assertThrows(PayloadExpressionException.class, evaluation);
            assertTrue(e.getMessage().length() < 220, e.getMessage());
            assertEquals(0, e.getStackTrace().length);
        }
    }

    @Test
    void jsonataNowAndMillisAreTheTimeOfEachEvaluation() throws Exception {
        PayloadExpression millis = jsonata("$millis()");
        assertTrue(jsonata("$now() = $fromMillis($millis())").test(ORDER), "one instant throughout an evaluation");
        // jsonata-java's own $millis() would answer a worker thread's first evaluation time forever.
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            long first = worker.submit(() -> millis.apply(ORDER).longValue()).get();
            long before = System.currentTimeMillis();
            while (System.currentTimeMillis() < first + 5) {
                Thread.onSpinWait();
            }
            long second = worker.submit(() -> millis.apply(ORDER).longValue()).get();
            assertTrue(second >= before && second > first, first + " then " + second);
        } finally {
            worker.shutdownNow();
        }
    }
}
