package chatbridge.delivery;

/**
 * Why a delivery did not succeed. {@code reason} is a stable code that ends up in the dead-letter queue's
 * chatbridgeReason header.
 */
public abstract class DeliveryFailure extends RuntimeException {
    private final String reason;

    protected DeliveryFailure(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** Worth another attempt later: network error, timeout, 408, 425, 429, 5xx. */
    public static final class Retryable extends DeliveryFailure {
        public Retryable(String reason, String detail) {
            super(reason, detail);
        }
    }

    /** 429/503 with Retry-After: the partner said when to come back. */
    public static final class RetryLater extends DeliveryFailure {
        private final long delayMillis;

        public RetryLater(String reason, String detail, long delayMillis) {
            super(reason, detail);
            this.delayMillis = delayMillis;
        }

        public long delayMillis() {
            return delayMillis;
        }
    }

    /** Retrying cannot help (3xx, 4xx, 410, attempts exhausted): dead-letter it now. */
    public static final class Permanent extends DeliveryFailure {
        public Permanent(String reason, String detail) {
            super(reason, detail);
        }
    }

    /** Too old to be worth delivering (freshness deadline passed): moved aside as expired. */
    public static final class Expired extends DeliveryFailure {
        public Expired(String detail) {
            super("expired", detail);
        }
    }
}
