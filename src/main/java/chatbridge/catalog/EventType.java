package chatbridge.catalog;

import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

/**
 * One entry of the event catalog (config/events/&lt;type&gt;.yaml): an event type the chat system publishes, and
 * everything the bridge needs to take it in and deliver it.
 *
 * @param name        the type, e.g. order.completed: webhook {@code type}, subscriptions, headers
 * @param description one sentence for the API documents
 * @param sourceQueue the queue the chat system publishes this type onto (chat.&lt;type&gt; unless set)
 * @param schema      the compiled JSON Schema (2020-12) every event of this type must satisfy
 * @param schemaJson  the schema as written, for the OpenAPI and AsyncAPI documents
 * @param id          where the event's id is: webhook-id and idempotency key at the partner
 * @param typeField   where the event names its own type, or null when only the queue says it
 * @param occurredAt  where the event's ISO-8601 time is: webhook {@code timestamp} and freshness
 * @param orderingKey where the value is whose events must stay in order (JMSXGroupID), e.g. the visitor id
 * @param delivery    attempts and freshness of deliveries of this type
 * @param via         the endpoint a validated event goes through on its way to the fan-out (a route of the
 *                    integrator's that must send it on to direct:event-fan-out); direct:event-fan-out when not set
 * @param file        the catalog file, for messages
 */
public record EventType(String name, String description, String sourceQueue, JsonSchema schema, JsonNode schemaJson,
                        JsonPointer id, JsonPointer typeField, JsonPointer occurredAt, JsonPointer orderingKey,
                        DeliveryPolicy delivery, String via, Path file) {

    /** Where a validated event goes next when the catalog names no {@code via} route. */
    public static final String FAN_OUT = "direct:event-fan-out";

    @Override
    public String toString() {
        return name + " (" + sourceQueue + ")";
    }
}
