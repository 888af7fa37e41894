package chatbridge.ops;

import java.util.List;
import java.util.Map;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Names the catalog's event types no partner subscribes to: their queues are not consumed, so their events wait on
 * the broker. UP all the same (a catalog may well hold types nobody wants yet); the detail is for operators
 * (/observe/health?exposureLevel=full).
 */
public class EventSubscriptionsHealthCheck extends AbstractHealthCheck {
    private final List<String> consumed;
    private final List<String> notConsumed;

    public EventSubscriptionsHealthCheck(EventCatalog catalog, PartnerRegistry partners) {
        super("chat-bridge", "event-subscriptions");
        this.consumed = catalog.all().stream().filter(t -> partners.hasSubscribers(t.name())).map(EventType::sourceQueue).toList();
        this.notConsumed = catalog.all().stream().filter(t -> !partners.hasSubscribers(t.name())).map(EventType::sourceQueue).toList();
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("consumed", String.join(",", consumed));
        builder.detail("not-consumed", String.join(",", notConsumed));
        builder.message(notConsumed.isEmpty() ? "every event type has a subscriber"
                : "not consumed (no partner subscribes), events wait on: " + String.join(", ", notConsumed));
        builder.up();
    }
}
