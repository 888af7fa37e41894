package chatbridge.payloads;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Output;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryUserException;
import net.thisptr.jackson.jq.internal.javacc.ParseException;
import net.thisptr.jackson.jq.internal.javacc.Token;

/**
 * jq by jackson-jq 1.6.0. A compiled {@link JsonQuery} is immutable and thread-safe (jackson-jq's own statement, and
 * its tree has no mutable state); each evaluation gets a child scope of the shared, never-written built-ins, in
 * which the query's own definitions and variables live.
 */
final class JqExpression implements PayloadExpression {
    /** A transform's results are counted up to here, then it is stopped: the message needs no exact count. */
    static final int MAX_COUNTED = 100;

    private final JsonQuery query;
    private final String origin;
    private final String source;
    private final long timeLimitNanos;

    JqExpression(String source, String origin, long timeLimitNanos) {
        this.origin = origin;
        this.source = source;
        this.timeLimitNanos = timeLimitNanos;
        try {
            this.query = JsonQuery.compile(source, JqBuiltins.VERSION);
        } catch (JsonQueryException | RuntimeException e) {
            throw new IllegalArgumentException(origin + ": not a valid jq expression: " + syntaxError(e));
        }
    }

    @Override
    public String language() {
        return "jq";
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
        Results results = new Results(MAX_COUNTED + 1, false);
        evaluate(input, "transform", results);
        if (results.count == 0) {
            throw new PayloadExpressionException("jq transform produced no value");
        }
        if (results.count > 1) {
            throw new PayloadExpressionException("jq transform produced "
                    + (results.count > MAX_COUNTED ? "more than " + MAX_COUNTED : String.valueOf(results.count))
                    + " results; a transform must produce exactly one (wrap it in [ ] to send them as an array)");
        }
        return finite(results.first);
    }

    @Override
    public boolean test(JsonNode input) {
        // Only the first output decides. The query runs on past it, and is stopped at a second one only: most
        // filters have one output, and ending a query early costs an exception thrown through all its frames.
        Results results = new Results(2, true);
        evaluate(input, "filter", results);
        JsonNode first = results.first;
        return first != null && !(first.isNull() || first.isMissingNode() || first.isBoolean() && !first.booleanValue());
    }

    private void evaluate(JsonNode input, String role, Results results) {
        Budget budget = JqBuiltins.start(timeLimitNanos);
        try {
            query.apply(Scope.newChildScope(JqBuiltins.ROOT), input, results);
        } catch (Results.Enough e) {
            // seen all that was needed
        } catch (JsonQueryException | RuntimeException | StackOverflowError e) {
            if (results.firstDecides && results.count > 0 && budget.exceeded() == null) {
                return; // a filter's error after its first output: that output has decided already
            }
            throw failure(role, e, budget.exceeded());
        } finally {
            budget.finish();
        }
        if (budget.exceeded() != null) {
            throw failure(role, null, budget.exceeded());
        }
    }

    private PayloadExpressionException failure(String role, Throwable e, Budget.Limit exceeded) {
        if (exceeded != null) {
            return new PayloadExpressionException("jq " + role + " did not finish within "
                    + timeLimitNanos / 1_000_000 + " ms");
        }
        if (Details.stackOverflow(e)) {
            return new PayloadExpressionException("jq " + role + " recursed until the stack ran out (a runaway "
                    + "recursion?)");
        }
        // error("...") is the partner's own message, quoted as written.
        String detail = e instanceof JsonQueryUserException ? Details.clip(String.valueOf(e.getMessage())) : Details.of(e);
        return new PayloadExpressionException("jq " + role + " failed: " + detail);
    }

    /** JavaCC's message lists every token it would have accepted; the one it got and where is what helps. */
    private static String syntaxError(Exception e) {
        if (e.getCause() instanceof ParseException) {
            Token current = ((ParseException) e.getCause()).currentToken;
            Token next = current == null ? null : current.next;
            if (next != null) {
                String what = next.kind == 0 ? "unexpected end of expression" : "unexpected \"" + next.image + "\"";
                return what + " at line " + next.beginLine + ", column " + next.beginColumn;
            }
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? String.valueOf(e.getMessage()) : cause.getMessage();
        return Details.clip(message.lines().findFirst().orElse(message));
    }

    /**
     * jq prints infinite as the largest double and nan as null; jackson-jq leaves them as doubles JSON cannot
     * hold. Only containers on the way to such a number are copied: the rest may be the caller's own input nodes.
     */
    static JsonNode finite(JsonNode node) {
        if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            if (Double.isNaN(d)) {
                return NullNode.getInstance();
            }
            return Double.isInfinite(d) ? DoubleNode.valueOf(d > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE) : node;
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode fixed = finite(node.get(i));
                if (fixed != node.get(i)) {
                    copy = copy != null ? copy : JsonNodeFactory.instance.arrayNode(node.size()).addAll((ArrayNode) node);
                    copy.set(i, fixed);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isObject()) {
            ObjectNode copy = null;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode fixed = finite(field.getValue());
                if (fixed != field.getValue()) {
                    copy = copy != null ? copy : JsonNodeFactory.instance.objectNode().setAll((ObjectNode) node);
                    copy.set(field.getKey(), fixed);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }

    /** Keeps the first output and counts the rest, stopping the query once the count is all that could change. */
    private static final class Results implements Output {
        private final int stopAt;
        final boolean firstDecides;
        JsonNode first;
        int count;

        Results(int stopAt, boolean firstDecides) {
            this.stopAt = stopAt;
            this.firstDecides = firstDecides;
        }

        @Override
        public void emit(JsonNode out) {
            if (count++ == 0) {
                first = out;
            }
            if (count >= stopAt) {
                throw Enough.SIGNAL;
            }
        }

        /** Ends a query's output early; not a JsonQueryException, so no try or ? in the query catches it. */
        static final class Enough extends RuntimeException {
            private static final long serialVersionUID = 1L;
            static final Enough SIGNAL = new Enough();

            private Enough() {
                super("enough results", null, false, false);
            }
        }
    }
}
