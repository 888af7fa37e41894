package chatbridge.payloads;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq 1.6 (jackson-jq). A compiled query is immutable and the built-in functions are loaded once into a root scope;
 * each evaluation runs in its own child scope, so threads share nothing that changes.
 */
final class JqExpression implements PayloadExpression {
    private static final Scope BUILTINS = builtins();

    private final JsonQuery query;
    private final String origin;

    JqExpression(String source, String origin) {
        this.origin = origin;
        try {
            this.query = JsonQuery.compile(source, Versions.JQ_1_6);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException(origin + ": not a valid jq expression: " + e.getMessage());
        }
    }

    private static Scope builtins() {
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
        return root;
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
    public JsonNode apply(JsonNode input) {
        List<JsonNode> results = run(input, "transform");
        if (results.isEmpty()) {
            throw new PayloadExpressionException("jq transform produced no value");
        }
        if (results.size() > 1) {
            throw new PayloadExpressionException("jq transform produced more than one result; a transform must "
                    + "produce exactly one (wrap it in [ ] for an array)");
        }
        return results.get(0);
    }

    @Override
    public boolean test(JsonNode input) {
        List<JsonNode> results = run(input, "filter");
        return !results.isEmpty() && !(results.get(0).isNull() || results.get(0).isBoolean() && !results.get(0).booleanValue());
    }

    /** The first two values at most: a third is never needed, and an endless stream stops there. */
    private List<JsonNode> run(JsonNode input, String role) {
        List<JsonNode> results = new ArrayList<>(2);
        try {
            query.apply(Scope.newChildScope(BUILTINS), input, value -> {
                results.add(value);
                if (results.size() == 2) {
                    throw new Enough();
                }
            });
        } catch (Enough e) {
            // two values seen
        } catch (JsonQueryException e) {
            throw new PayloadExpressionException("jq " + role + " failed: " + e.getMessage());
        } catch (StackOverflowError | RuntimeException e) {
            throw new PayloadExpressionException("jq " + role + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return results;
    }

    /** Ends a query's output stream early. */
    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }
}
