package chatbridge.events;

import java.time.Clock;

import chatbridge.catalog.EventCatalog;
import chatbridge.ops.EventSubscriptionsHealthCheck;
import chatbridge.partners.PartnerRegistry;
import chatbridge.security.DeliverySeal;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckRegistry;

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

    @Override
    public void configure(CamelContext context) {
        EventCatalog catalog = context.getRegistry().lookupByNameAndType("eventCatalog", EventCatalog.class);
        PartnerRegistry partners = context.getRegistry().lookupByNameAndType("partnerRegistry", PartnerRegistry.class);
        HealthCheckRegistry.get(context).register(new EventSubscriptionsHealthCheck(catalog, partners));
    }
}
