package chatbridge.payloads;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A partner's filter or transform, written in JSONata or jq, compiled once at startup and then evaluated on every
 * event, by several consumer threads at once: implementations are thread-safe. Every evaluation is bounded by the
 * time limit it was compiled with. Made by {@link PayloadExpressions}.
 */
public interface PayloadExpression {

    /** {@code "jsonata"} or {@code "jq"}. */
    String language();

    /**
     * Where the expression was written, e.g. {@code config/partners.yaml, partner 'acme', transform} or the path of
     * its own file: the start of every message about it.
     */
    String origin();

    /** The expression as written: two expressions with the same language and source behave the same. */
    String source();

    /**
     * The one JSON value the expression makes of this input: the webhook body of a transform.
     *
     * @throws PayloadExpressionException when the evaluation fails, runs out of time, yields no value or several,
     *                                    or yields something JSON cannot represent (a function)
     */
    JsonNode apply(JsonNode input);

    /**
     * The expression's result as a condition, by its language's own rules. jq: the first output, where only
     * {@code false} and {@code null} are false, and no output is false. JSONata: the result cast as by
     * {@code $boolean()}, so no value, {@code ""}, {@code 0}, {@code []} and {@code {}} are false.
     *
     * @throws PayloadExpressionException when the evaluation fails or runs out of time
     */
    boolean test(JsonNode input);
}
