package chatbridge.payloads;

/**
 * A filter or transform that failed on one event: an error in the expression, no value or several where one was
 * needed, a result that is not JSON, or the time limit. The message is one short line meant for a dead letter or a
 * log ({@code jsonata transform failed: ...}, {@code jq transform produced 2 results; ...}); it quotes at most a
 * little of the payload. No stack trace is recorded: these are expected outcomes of partners' code, not bugs here.
 */
public class PayloadExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PayloadExpressionException(String message) {
        super(message, null, false, false);
    }
}
