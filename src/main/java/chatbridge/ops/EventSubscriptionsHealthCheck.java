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
    private final EventCatalog catalog;
    private final PartnerRegistry partners;

    public EventSubscriptionsHealthCheck(EventCatalog catalog, PartnerRegistry partners) {
        super("chat-bridge", "event-subscriptions");
        this.catalog = catalog;
        this.partners = partners;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // Asked at every call: a reload of the partners file changes who subscribes to what.
        List<String> consumed = catalog.all().stream().filter(t -> partners.hasSubscribers(t.name())).map(EventType::sourceQueue).toList();
        List<String> notConsumed = catalog.all().stream().filter(t -> !partners.hasSubscribers(t.name())).map(EventType::sourceQueue).toList();
        builder.detail("consumed", String.join(",", consumed));
        builder.detail("not-consumed", String.join(",", notConsumed));
        builder.message(notConsumed.isEmpty() ? "every event type has a subscriber"
                : "not consumed (no partner subscribes), events wait on: " + String.join(", ", notConsumed));
        builder.up();
    }
}
