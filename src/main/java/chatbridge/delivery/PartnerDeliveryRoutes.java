package chatbridge.delivery;

import chatbridge.partners.Partner;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * Creates one partner-webhook-delivery route (routes/webhook-delivery.yaml) per configured partner, each consuming
 * its own queue, so one partner's outage never slows another's deliveries: at startup for every partner, and
 * {@link #add} for a partner a reload of the partners file brings.
 */
public class PartnerDeliveryRoutes extends RouteBuilder {
    static final String TEMPLATE = "partner-webhook-delivery";

    @Override
    public void configure() {
        PartnerRegistry partners = getContext().getRegistry().lookupByNameAndType("partnerRegistry", PartnerRegistry.class);
        for (Partner partner : partners.all()) {
            templatedRoute(TEMPLATE)
                    .routeId(PartnerRegistry.deliveryRouteId(partner.id()))
                    .prefixId(partner.id() + "-")
                    .parameter("partnerId", partner.id())
                    .parameter("deliveryQueue", partner.deliveryQueue());
        }
    }

    /** Adds and starts the delivery route of a partner the running bridge did not have. */
    public static void add(CamelContext context, Partner partner) throws Exception {
        String routeId = TemplatedRouteBuilder.builder(context, TEMPLATE)
                .routeId(PartnerRegistry.deliveryRouteId(partner.id()))
                .prefixId(partner.id() + "-")
                .parameter("partnerId", partner.id())
                .parameter("deliveryQueue", partner.deliveryQueue())
                .add();
        context.getRouteController().startRoute(routeId);
    }
}
