package chatbridge.openapi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per partner: {@code ratePerSecond} sustained, bursts up to {@code burst}. */
public class RateLimiter {
    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
    }

    /** @return 0 when the request may proceed, otherwise the milliseconds until it could */
    public long acquire(String partnerId) {
        if (ratePerSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(partnerId, id -> new Bucket(burst, nanoClock.getAsLong())).take();
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take() {
            long now = nanoClock.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / ratePerSecond * 1000);
        }
    }
}
