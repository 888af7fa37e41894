package chatbridge.events;

import java.time.Clock;

import chatbridge.catalog.EventCatalog;
import chatbridge.failures.BridgeHeaders;
import chatbridge.ops.EventSubscriptionsHealthCheck;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.ExpressionAdapter;

/**
 * Binds the beans of routes/ingest.yaml (the event validator and the envelope for the delivery queues) and the
 * health check that names event types nobody consumes.
 */
public class EventsConfiguration implements CamelConfiguration {
    // lazy: the catalog is CatalogConfiguration's.
    @BindToRegistry(value = "eventValidator", lazy = true)
    public EventValidator eventValidator(@PropertyInject("chatbridge.ingest.max-event-bytes") int maxEventBytes,
                                         @BeanInject("eventCatalog") EventCatalog catalog) {
        return new EventValidator(maxEventBytes, catalog);
    }

    // lazy: the seal is BrokerConfiguration's.
    @BindToRegistry(value = "deliveryEnvelope", lazy = true)
    public DeliveryEnvelope deliveryEnvelope(@BeanInject("deliverySeal") DeliverySeal seal) {
        return new DeliveryEnvelope(Clock.systemUTC(), seal);
    }

    /**
     * The fan-out's recipients: {@link PartnerRegistry#deliveryEndpointsFor} the event's type, as an expression the
     * route names with ref: and Camel evaluates on the route's own exchange (a method: expression would copy the
     * exchange for every event; bench/RESULTS.md, 2026-12-07, part 4).
     */
    @BindToRegistry(value = "partnerDeliveryQueues", lazy = true)
    public Expression partnerDeliveryQueues(@BeanInject("partnerRegistry") PartnerRegistry partners) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return partners.deliveryEndpointsFor(exchange.getMessage().getHeader(BridgeHeaders.EVENT_TYPE, String.class));
            }
        };
    }

    @Override
    public void configure(CamelContext context) {
        EventCatalog catalog = context.getRegistry().lookupByNameAndType("eventCatalog", EventCatalog.class);
        PartnerRegistry partners = context.getRegistry().lookupByNameAndType("partnerRegistry", PartnerRegistry.class);
        HealthCheckRegistry.get(context).register(new EventSubscriptionsHealthCheck(catalog, partners));
    }
}
