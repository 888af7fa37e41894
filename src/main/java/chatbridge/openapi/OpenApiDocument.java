package chatbridge.openapi;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description of what partners see: the Open API (src/main/resources/openapi/openapi.yaml, written
 * by hand) and, under {@code webhooks}, one entry per event type of the catalog with its payload schema and the
 * Standard Webhooks headers, made at startup.
 */
public class OpenApiDocument {
    private final String yaml;
    private final String json;

    public OpenApiDocument(EventCatalog catalog) {
        ObjectNode document = ApiDocuments.resource("/openapi/openapi.yaml");
        ObjectNode schemas = document.withObjectProperty("components").withObjectProperty("schemas");
        ObjectNode webhooks = document.putObject("webhooks");
        for (EventType type : catalog.all()) {
            schemas.set(type.name(), ApiDocuments.embedded(type.schemaJson(), "#/components/schemas/" + type.name()));
            webhooks.set(type.name(), webhook(type));
        }
        json = ApiDocuments.json(document);
        yaml = ApiDocuments.yaml(document);
    }

    private static ObjectNode webhook(EventType type) {
        ObjectNode post = ApiDocuments.resource("/openapi/webhook-template.yaml");
        ObjectNode operation = (ObjectNode) post.get("post");
        operation.put("operationId", operationId(type.name()));
        operation.put("summary", type.name());
        operation.put("description", type.description() + "\n\n" + operation.path("description").asText());
        ObjectNode envelope = (ObjectNode) operation.at("/requestBody/content/application~1json/schema");
        ObjectNode properties = (ObjectNode) envelope.get("properties");
        properties.putObject("type").put("const", type.name());
        properties.putObject("data").put("$ref", "#/components/schemas/" + type.name());
        ArrayNode examples = (ArrayNode) type.schemaJson().get("examples");
        if (examples != null && !examples.isEmpty()) {
            ObjectNode example = envelope.putObject("example");
            example.put("type", type.name());
            example.set("timestamp", examples.get(0).at(type.occurredAt()));
            example.set("data", examples.get(0));
        }
        return post;
    }

    /** visitor.online as visitorOnlineWebhook. */
    private static String operationId(String type) {
        StringBuilder id = new StringBuilder();
        boolean upper = false;
        for (char c : type.toCharArray()) {
            if (c == '.' || c == '-' || c == '_') {
                upper = true;
            } else {
                id.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return id.append("Webhook").toString();
    }

    public String yaml() {
        return yaml;
    }

    public String json() {
        return json;
    }
}
