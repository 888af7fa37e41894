package chatbridge.payloads;

/** A filter or transform that failed on one event: its detail goes into the dead letter's chatbridgeDetail. */
public class PayloadExpressionException extends RuntimeException {
    private static final int MAX_DETAIL = 300;

    public PayloadExpressionException(String detail) {
        // No stack trace: an expected outcome, reported as data.
        super(detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "…", null, false, false);
    }
}
