package chatbridge.failures;

import java.util.Optional;

/**
 * Why a message cannot be handled now, and so where it goes: {@link #kind()} picks the onException branch of
 * routes/error-handling.yaml, {@link #reason()} is the stable code in the chatbridgeReason header, {@link #field()}
 * the JSON path in chatbridgeField, the message the sentence in chatbridgeDetail.
 */
public final class BridgeFailure extends RuntimeException {
    public enum Kind {
        /** Invalid input (not JSON, not UTF-8, breaks the contract): no retry can fix it. */
        POISON,
        /** The partner refused it (3xx, 4xx, 410), it ran out of attempts, or the bridge did not write it. */
        PERMANENT,
        /** Past its freshness deadline: not worth delivering any more. */
        EXPIRED,
        /** Network error, timeout, 408, 425, 429, 5xx: worth another attempt later. */
        RETRYABLE,
        /** 429/503 with Retry-After: the partner said when to come back ({@link #delayMillis()}). */
        RETRY_LATER,
        /** The partner is paused or its circuit is open: back onto its queue, the attempt not spent. */
        HELD
    }

    private final Kind kind;
    private final String reason;
    private final String field;
    private final long delayMillis;

    private BridgeFailure(Kind kind, String reason, String field, String detail, long delayMillis) {
        super(detail, null, false, false);
        this.kind = kind;
        this.reason = reason;
        this.field = field;
        this.delayMillis = delayMillis;
    }

    /** @param field the JSON path of the offending field, or null when the problem is the whole body */
    public static BridgeFailure poison(String reason, String field, String detail) {
        return new BridgeFailure(Kind.POISON, reason, field, detail, 0);
    }

    public static BridgeFailure permanent(String reason, String detail) {
        return new BridgeFailure(Kind.PERMANENT, reason, null, detail, 0);
    }

    public static BridgeFailure expired(String detail) {
        return new BridgeFailure(Kind.EXPIRED, "expired", null, detail, 0);
    }

    public static BridgeFailure retryable(String reason, String detail) {
        return new BridgeFailure(Kind.RETRYABLE, reason, null, detail, 0);
    }

    public static BridgeFailure retryLater(String reason, String detail, long delayMillis) {
        return new BridgeFailure(Kind.RETRY_LATER, reason, null, detail, delayMillis);
    }

    public static BridgeFailure held(String reason, String detail) {
        return new BridgeFailure(Kind.HELD, reason, null, detail, 0);
    }

    /** The bridge's failure behind {@code caught}, which Camel may have wrapped (in a bean expression failure, say). */
    public static Optional<BridgeFailure> in(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof BridgeFailure failure) {
                return Optional.of(failure);
            }
        }
        return Optional.empty();
    }

    public Kind kind() {
        return kind;
    }

    /** A stable, machine-readable code such as {@code missing-field}, {@code http-503} or {@code expired}. */
    public String reason() {
        return reason;
    }

    /** The JSON path of the offending field, or null. */
    public String field() {
        return field;
    }

    public long delayMillis() {
        return delayMillis;
    }

    /** Worth another attempt (now or at a time the partner gave). */
    public boolean wouldRetry() {
        return kind == Kind.RETRYABLE || kind == Kind.RETRY_LATER;
    }
}
