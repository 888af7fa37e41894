package chatbridge.payloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.function.Executable;

/** Inputs and helpers shared by this package's tests. */
final class Payloads {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "config/partners.yaml, partner 'acme', transform";
    static final Duration LIMIT = Duration.ofSeconds(2);

    private Payloads() {
    }

    /** The bridge's view of an order.completed event, with the given total. */
    static JsonNode order(String amount) {
        return json("""
                {"type":"order.completed","timestamp":"2026-11-24T10:00:00Z","data":{"id":"evt-1",
                 "order":{"id":"o-1","total":{"amount":"%s","currency":"USD"}},"visitor":{"id":"v-1"}}}
                """.formatted(amount));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PayloadExpression jsonata(String source) {
        return PayloadExpressions.jsonata(source, ORIGIN, LIMIT);
    }

    static PayloadExpression jq(String source) {
        return PayloadExpressions.jq(source, ORIGIN, LIMIT);
    }

    /** Asserts the evaluation fails with exactly this message. */
    static PayloadExpressionException assertFails(String message, Executable evaluation) {
        PayloadExpressionException e = assertThrows(PayloadExpressionException.class, evaluation);
        assertEquals(message, e.getMessage());
        return e;
    }
}
