package chatbridge.openapi;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The AsyncAPI 3.0 description of the chat system's side of the broker: the hand-written part
 * (src/main/resources/asyncapi/asyncapi.yaml: partner.messages) and one channel, send operation and message per
 * event type of the catalog, with the type's JSON Schema as payload, made at startup. The partner message schemas
 * are the OpenAPI document's, so the two never disagree.
 */
public class AsyncApiDocument {
    private static final String JSON_SCHEMA = "application/schema+json;version=draft-07";

    private final String yaml;
    private final String json;

    public AsyncApiDocument(EventCatalog catalog) {
        ObjectNode document = ApiDocuments.resource("/asyncapi/asyncapi.yaml");
        ObjectNode openApiSchemas = (ObjectNode) ApiDocuments.resource("/openapi/openapi.yaml").at("/components/schemas");
        ObjectNode components = document.withObjectProperty("components");
        ObjectNode schemas = components.withObjectProperty("schemas");
        for (String name : new String[]{"TextMessage", "LinkMessage", "CardMessage"}) {
            schemas.set(name, openApiSchemas.get(name));
        }
        ObjectNode channels = document.withObjectProperty("channels");
        ObjectNode operations = document.withObjectProperty("operations");
        ObjectNode messages = components.withObjectProperty("messages");
        for (EventType type : catalog.all()) {
            String messageName = type.name();
            ObjectNode message = messages.putObject(messageName);
            message.put("name", messageName);
            message.put("title", type.name());
            message.put("summary", type.description());
            message.put("contentType", "application/json");
            message.putObject("correlationId").put("location", "$message.payload#" + type.id());
            ObjectNode payload = message.putObject("payload");
            payload.put("schemaFormat", JSON_SCHEMA);
            payload.set("schema", ApiDocuments.embedded(type.schemaJson(), "#/components/messages/" + messageName + "/payload/schema"));

            ObjectNode channel = channels.putObject(type.sourceQueue());
            channel.put("address", type.sourceQueue());
            channel.put("title", type.name() + " events");
            channel.put("description", "Anycast queue. An event that breaks the schema goes to DLQ." + type.sourceQueue()
                    + " with the reason in chatbridgeReason.");
            channel.putObject("messages").putObject(messageName).put("$ref", "#/components/messages/" + messageName);

            ObjectNode operation = operations.putObject(operationId(type));
            operation.put("action", "send");
            operation.put("title", "Publish " + type.name());
            operation.put("summary", type.description());
            operation.putObject("channel").put("$ref", "#/channels/" + type.sourceQueue());
            operation.putArray("messages").addObject()
                    .put("$ref", "#/channels/" + type.sourceQueue() + "/messages/" + messageName);
        }
        json = ApiDocuments.json(document);
        yaml = ApiDocuments.yaml(document);
    }

    private static String operationId(EventType type) {
        return "publish-" + type.name().replace('.', '-');
    }

    public String yaml() {
        return yaml;
    }

    public String json() {
        return json;
    }
}
