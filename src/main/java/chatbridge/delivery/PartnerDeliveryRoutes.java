package chatbridge.delivery;

import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.builder.RouteBuilder;

/**
 * Creates one partner-webhook-delivery route (routes/webhook-delivery.yaml) per configured partner, each consuming
 * its own queue, so one partner's outage never slows another's deliveries.
 */
public class PartnerDeliveryRoutes extends RouteBuilder {
    @Override
    public void configure() {
        PartnerRegistry partners = getContext().getRegistry().lookupByNameAndType("partnerRegistry", PartnerRegistry.class);
        for (Partner partner : partners.all()) {
            templatedRoute("partner-webhook-delivery")
                    .routeId("webhook-delivery-" + partner.id())
                    .prefixId(partner.id() + "-")
                    .parameter("partnerId", partner.id())
                    .parameter("deliveryQueue", partner.deliveryQueue());
        }
    }
}
