package chatbridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import chatbridge.failures.BridgeFailure;

/** Turns a partner's HTTP answer into "delivered" (null) or the kind of failure it is. */
public final class ResponseClassifier {
    private final Duration retryAfterCap;

    public ResponseClassifier(Duration retryAfterCap) {
        this.retryAfterCap = retryAfterCap;
    }

    /** @return null when delivered, otherwise the failure to act on */
    public BridgeFailure classify(int status, String retryAfter, Instant now) {
        if (status >= 200 && status < 300) {
            return null;
        }
        String detail = "partner answered HTTP " + status;
        if (status == 429 || status == 503) {
            long delay = retryAfterMillis(retryAfter, now);
            if (delay > 0) {
                return BridgeFailure.retryLater("http-" + status, detail + " with Retry-After " + retryAfter, delay);
            }
            return BridgeFailure.retryable("http-" + status, detail);
        }
        if (status == 408 || status == 425 || status >= 500) {
            return BridgeFailure.retryable("http-" + status, detail);
        }
        if (status == 410) {
            return BridgeFailure.permanent("endpoint-gone", detail + " (Gone): the partner removed this endpoint");
        }
        return BridgeFailure.permanent("http-" + status, detail + ", which retrying cannot fix");
    }

    /** Retry-After is delta-seconds or an HTTP-date; anything else is ignored. Capped at the configured maximum. */
    long retryAfterMillis(String retryAfter, Instant now) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return 0;
        }
        long millis;
        String value = retryAfter.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            millis = value.length() > 9 ? Long.MAX_VALUE : Long.parseLong(value) * 1000;
        } else {
            try {
                millis = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
            } catch (DateTimeParseException e) {
                return 0;
            }
        }
        return Math.max(0, Math.min(millis, retryAfterCap.toMillis()));
    }
}
