package chatbridge.events;

import java.time.Clock;

import chatbridge.security.DeliverySeal;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** Binds the beans of routes/ingest.yaml: the event validator and the envelope for the delivery queues. */
public class EventsConfiguration implements CamelConfiguration {
    @BindToRegistry("eventValidator")
    public EventValidator eventValidator(@PropertyInject("chatbridge.ingest.max-event-bytes") int maxEventBytes) {
        return new EventValidator(maxEventBytes);
    }

    // lazy: the seal is BrokerConfiguration's.
    @BindToRegistry(value = "deliveryEnvelope", lazy = true)
    public DeliveryEnvelope deliveryEnvelope(@BeanInject("deliverySeal") DeliverySeal seal) {
        return new DeliveryEnvelope(Clock.systemUTC(), seal);
    }
}
