package chatbridge.events;

import java.util.ArrayList;
import java.util.List;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.partners.PartnerRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one chat-event-ingest route (routes/ingest.yaml) per catalog type that some partner subscribes to. A type
 * nobody subscribes to is not consumed: its events wait on their queue until a partner takes them, instead of being
 * read and dropped. The log and /observe/health?exposureLevel=full (check event-subscriptions) name
 * those queues. A reload of the partners file adds ({@link #add}) and removes these routes as subscriptions change.
 */
public class IngestRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);
    private static final String TEMPLATE = "chat-event-ingest";

    @Override
    public void configure() {
        EventCatalog catalog = getContext().getRegistry().lookupByNameAndType("eventCatalog", EventCatalog.class);
        PartnerRegistry partners = getContext().getRegistry().lookupByNameAndType("partnerRegistry", PartnerRegistry.class);
        List<String> waiting = new ArrayList<>();
        for (EventType type : catalog.all()) {
            if (!partners.hasSubscribers(type.name())) {
                waiting.add(type.sourceQueue());
                continue;
            }
            templatedRoute(TEMPLATE)
                    .routeId(routeId(type))
                    .prefixId(routeId(type) + "-")
                    .parameter("eventType", type.name())
                    .parameter("sourceQueue", type.sourceQueue())
                    .parameter("next", type.via());
        }
        if (!waiting.isEmpty()) {
            LOG.warn("No partner subscribes to the events on {}: they are not consumed and wait there until a partner "
                    + "subscribes", waiting);
        }
    }

    public static String routeId(EventType type) {
        return "ingest-" + type.name().replace('.', '-');
    }

    /** Adds and starts the ingest route of a type that has just gained its first subscriber. */
    public static void add(CamelContext context, EventType type) throws Exception {
        String routeId = TemplatedRouteBuilder.builder(context, TEMPLATE)
                .routeId(routeId(type))
                .prefixId(routeId(type) + "-")
                .parameter("eventType", type.name())
                .parameter("sourceQueue", type.sourceQueue())
                .parameter("next", type.via())
                .add();
        context.getRouteController().startRoute(routeId);
    }
}
