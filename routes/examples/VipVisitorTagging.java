// A Java DSL route, compiled when the bridge starts (camel-java-joor-dsl): copy it into routes/ and name it as the
// via of config/events/visitor.online.yaml (README, "Write a route in Java DSL"). Visitors of a VIP tier reach
// partners with "vip": true in their event; everyone else's event is untouched.
import java.util.Set;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.events.ChatEvent;
import chatbridge.events.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.builder.RouteBuilder;

public class VipVisitorTagging extends RouteBuilder {
    static final String ENDPOINT = "direct:tag-vip-visitors";
    static final Set<String> VIP_TIERS = Set.of("gold", "platinum");

    @Override
    public void configure() {
        // Refuse to start half-wired: the catalog must send visitor.online through this route.
        EventCatalog catalog = getContext().getRegistry().lookupByNameAndType("eventCatalog", EventCatalog.class);
        EventType visitorOnline = catalog.type("visitor.online").orElseThrow(
                () -> new IllegalStateException("VipVisitorTagging needs visitor.online in the event catalog"));
        if (!ENDPOINT.equals(visitorOnline.via())) {
            throw new IllegalStateException(visitorOnline.file() + ": set via: " + ENDPOINT + " to use VipVisitorTagging");
        }

        // Runs inside the ingest route's transaction and error handling (bridge-error-handling): a failure here rolls
        // the event back to chat.visitor.online like any other ingest failure.
        from(ENDPOINT).routeId("tag-vip-visitors")
                .transform().body(ChatEvent.class, VipVisitorTagging::tagged)
                .to(EventType.FAN_OUT);
    }

    /** The event with "vip": true when the visitor's tier attribute is a VIP tier; the same event otherwise. */
    static ChatEvent tagged(ChatEvent event) {
        try {
            ObjectNode json = (ObjectNode) StrictJson.MAPPER.readTree(event.json());
            if (!VIP_TIERS.contains(json.at("/visitor/attributes/tier").asText())) {
                return event;
            }
            json.put("vip", true);
            return new ChatEvent(event.id(), event.type(), event.occurredAt(), event.orderingKey(), json.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("validated events are JSON", e);
        }
    }
}
