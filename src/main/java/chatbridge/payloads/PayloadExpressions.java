package chatbridge.payloads;

import java.time.Duration;
import java.util.Objects;

/**
 * Compiles partners' filters and transforms. A syntax error is an {@link IllegalArgumentException} whose message
 * starts with the origin and then says what is wrong, so a broken partners file stops startup with one readable
 * line.
 */
public final class PayloadExpressions {
    private PayloadExpressions() {
    }

    /**
     * A JSONata expression (dashjoin jsonata-java). Each evaluation fails past {@code timeLimit}, and past
     * {@value JsonataExpression#MAX_DEPTH} nested evaluation steps (a runaway recursion), before the thread's stack
     * would give out.
     */
    public static PayloadExpression jsonata(String expression, String origin, Duration timeLimit) {
        return new JsonataExpression(expression, origin, nanos(timeLimit));
    }

    /**
     * A jq expression, jq 1.7 as jackson-jq implements it. Each evaluation fails past {@code timeLimit}; a
     * runaway recursion ends when the thread's stack does and is reported as such.
     */
    public static PayloadExpression jq(String expression, String origin, Duration timeLimit) {
        return new JqExpression(expression, origin, nanos(timeLimit));
    }

    private static long nanos(Duration timeLimit) {
        if (Objects.requireNonNull(timeLimit, "timeLimit").isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("the time limit of an expression must be positive, not " + timeLimit);
        }
        return timeLimit.toNanos();
    }
}
