package chatbridge.payloads;

import java.time.Duration;

/** Compiles partners' filters and transforms; a syntax error is reported with where the expression was written. */
public final class PayloadExpressions {
    private PayloadExpressions() {
    }

    /**
     * @param timeLimit how long one evaluation may take; past it (or past a recursion depth of
     *                  {@link JsonataExpression#MAX_DEPTH}) it fails
     */
    public static PayloadExpression jsonata(String expression, String origin, Duration timeLimit) {
        return new JsonataExpression(expression, origin, timeLimit);
    }

    /**
     * jq 1.6 (jackson-jq). jackson-jq cannot be stopped from outside, so the time limit is not enforced for jq: an
     * expression that produces values without end is cut at its second value; one that loops inside (a
     * {@code [range(infinite)]}) would hold its consumer. README, Trade-offs.
     */
    public static PayloadExpression jq(String expression, String origin, Duration timeLimit) {
        return new JqExpression(expression, origin);
    }
}
