package chatbridge.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The bridge's own meters, beside Camel's route meters on /observe/metrics (Prometheus names in brackets):
 * <ul>
 *   <li>deliveries per partner, event type and outcome ({@code chatbridge_deliveries_total}, outcome delivered,
 *   retried, dead_lettered, expired or filtered);</li>
 *   <li>how long each HTTP request to a partner took ({@code chatbridge_delivery_attempt_duration_seconds}), and how
 *   old an event was when its partner took it ({@code chatbridge_event_lag_seconds}, from occurredAt to the 2xx: the
 *   latency users feel);</li>
 *   <li>events read from the chat system per type, accepted or invalid ({@code chatbridge_ingest_events_total});</li>
 *   <li>Open API requests per partner and status ({@code chatbridge_openapi_requests_total}).</li>
 * </ul>
 * The routes call it where the outcome is decided (routes/*.yaml), so each count sits next to its decision.
 */
public class BridgeMetrics {
    public static final String DELIVERED = "delivered";
    public static final String RETRIED = "retried";
    public static final String DEAD_LETTERED = "dead_lettered";
    public static final String EXPIRED = "expired";
    public static final String FILTERED = "filtered";

    private final Supplier<MeterRegistry> registry;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** @param registry Camel's meter registry, looked up when first needed (it is made after the beans) */
    public BridgeMetrics(Supplier<MeterRegistry> registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void delivery(String partner, String eventType, String outcome) {
        counter("chatbridge.deliveries", "partner", partner, "event_type", eventType, "outcome", outcome).increment();
    }

    /** A 2xx: delivered, and how old the event was by then (occurredAt, ISO-8601, to now). */
    public void delivered(String partner, String eventType, String occurredAt) {
        delivery(partner, eventType, DELIVERED);
        Duration lag = Duration.between(Instant.parse(occurredAt), clock.instant());
        timer("chatbridge.event.lag", "partner", partner, "event_type", eventType).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    public void attempt(String partner, Duration took) {
        timer("chatbridge.delivery.attempt.duration", "partner", partner).record(took);
    }

    /** @param outcome accepted or invalid */
    public void ingest(String eventType, String outcome) {
        counter("chatbridge.ingest.events", "event_type", eventType, "outcome", outcome).increment();
    }

    /** @param partner the authenticated partner, or "unknown" before (or without) authentication */
    public void openApiRequest(String partner, int status) {
        counter("chatbridge.openapi.requests", "partner", partner, "status", Integer.toString(status)).increment();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(key(name, tags), k -> Counter.builder(name).tags(clean(tags)).register(registry.get()));
    }

    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(key(name, tags), k -> Timer.builder(name).tags(clean(tags))
                .publishPercentileHistogram().register(registry.get()));
    }

    private static String key(String name, String... tags) {
        return name + '|' + String.join("|", clean(tags));
    }

    /** A label value is never null (Micrometer refuses it): an unknown one says so. */
    private static String[] clean(String... tags) {
        String[] cleaned = tags.clone();
        for (int i = 1; i < cleaned.length; i += 2) {
            if (cleaned[i] == null) {
                cleaned[i] = "unknown";
            }
        }
        return cleaned;
    }
}
