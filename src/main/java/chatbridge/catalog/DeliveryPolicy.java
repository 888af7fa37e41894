package chatbridge.catalog;

import java.time.Duration;
import java.time.Instant;

/**
 * How hard chat-bridge tries to deliver one event type.
 *
 * @param maxAttempts broker deliveries before the event goes to the dead-letter queue (each delivery makes
 *                    up to 1 + local-retries HTTP requests)
 * @param freshness   how long after occurredAt the event is still worth delivering; zero for no limit
 */
public record DeliveryPolicy(int maxAttempts, Duration freshness) {

    public boolean isStale(Instant occurredAt, Instant now) {
        return !freshness.isZero() && now.isAfter(occurredAt.plus(freshness));
    }
}
