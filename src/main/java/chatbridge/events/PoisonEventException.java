package chatbridge.events;

/**
 * An event that can never be delivered as it is: retrying cannot help, so it goes straight to the
 * dead-letter queue with {@link #reason()} and {@link #getMessage()} as its explanation.
 */
public class PoisonEventException extends RuntimeException {
    private final String reason;
    private final String field;

    public PoisonEventException(String reason, String field, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    /** A stable, machine-readable code such as {@code missing-field} or {@code invalid-json}. */
    public String reason() {
        return reason;
    }

    /** The JSON path of the offending field, or null when the problem is the whole body. */
    public String field() {
        return field;
    }
}
