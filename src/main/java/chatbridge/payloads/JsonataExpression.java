package chatbridge.payloads;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Functions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSONata (dashjoin jsonata-java). A compiled expression may be evaluated from several threads: the library keeps
 * a per-thread evaluator itself (Jsonata.getPerThreadInstance). Each evaluation gets a fresh frame with its own
 * Timebox, which ends it past the time limit or the recursion depth.
 */
final class JsonataExpression implements PayloadExpression {
    /** Deep enough for any sensible payload shaping; a runaway recursion is stopped here, long before the stack. */
    static final int MAX_DEPTH = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Jsonata expression;
    private final String origin;
    private final long timeLimitMillis;

    JsonataExpression(String source, String origin, Duration timeLimit) {
        this.origin = origin;
        this.timeLimitMillis = timeLimit.toMillis();
        try {
            this.expression = Jsonata.jsonata(source);
        } catch (JException e) {
            throw new IllegalArgumentException(origin + ": not a valid JSONata expression: " + e.getMessage());
        }
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
    public JsonNode apply(JsonNode input) {
        Object result = evaluate(input, "transform");
        if (result == null) {
            throw new PayloadExpressionException("jsonata transform produced no value");
        }
        return toJson(result);
    }

    @Override
    public boolean test(JsonNode input) {
        return Boolean.TRUE.equals(Functions.toBoolean(evaluate(input, "filter")));
    }

    private Object evaluate(JsonNode input, String role) {
        Jsonata.Frame bounds = expression.createFrame();
        bounds.setRuntimeBounds(timeLimitMillis, MAX_DEPTH);
        try {
            return expression.evaluate(JSON.convertValue(input, Object.class), bounds);
        } catch (StackOverflowError | RuntimeException e) {
            throw new PayloadExpressionException("jsonata " + role + " failed: " + describe(e));
        }
    }

    private String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Expression evaluation timeout")) {
            return "did not finish within " + timeLimitMillis + " ms";
        }
        // The library's own errors read well alone; anything else is named by its type.
        return e instanceof JException || e.getClass().getName().startsWith("com.dashjoin") ? message
                : e.getClass().getSimpleName() + ": " + message;
    }

    /** The library's result as JSON: numbers that are whole stay whole (JSONata computes in doubles). */
    private static JsonNode toJson(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> {
                if (v != null) { // undefined members are left out, as JSONata's own JSON output does
                    object.set(String.valueOf(k), toJson(v));
                }
            });
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        }
        throw new PayloadExpressionException("jsonata transform produced a " + value.getClass().getSimpleName()
                + " (a function?), not JSON");
    }

    private static JsonNode whole(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new PayloadExpressionException("jsonata transform produced " + d + ", not JSON");
            }
            if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                return whole((long) d);
            }
            return NODES.numberNode(d);
        }
        if (n instanceof BigDecimal b) {
            return NODES.numberNode(b);
        }
        return whole(n.longValue());
    }
}
