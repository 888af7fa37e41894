package chatbridge.payloads;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A partner's filter or transform, compiled once at startup and evaluated on every event from several consumer
 * threads at once. Made by {@link PayloadExpressions}.
 */
public interface PayloadExpression {
    /** "jsonata" or "jq". */
    String language();

    /** Where it was written (partners file and partner, or its own file): for messages. */
    String origin();

    /**
     * The one JSON value the expression yields for this input.
     *
     * @throws PayloadExpressionException when it fails, yields no value, several, or something that is not JSON
     */
    JsonNode apply(JsonNode input);

    /**
     * The expression's result as a condition, by the language's own rules (jq: false and null are false; JSONata:
     * as $boolean, with no value false).
     *
     * @throws PayloadExpressionException when it fails
     */
    boolean test(JsonNode input);
}
