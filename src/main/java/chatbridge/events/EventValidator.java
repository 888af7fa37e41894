package chatbridge.events;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

import chatbridge.catalog.EventCatalog;
import chatbridge.catalog.EventType;
import chatbridge.failures.BridgeFailure;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;

/**
 * Checks an event from the chat system against its catalog entry (config/events/&lt;type&gt;.yaml and its JSON
 * Schema) and explains exactly what is wrong when it does not hold. Before the schema, the bridge's own needs:
 * UTF-8 JSON within the size limit, an object, an id usable as webhook-id, the right type, a parseable occurredAt;
 * after it, an ordering key usable as JMSXGroupID. Unknown fields are allowed and carried through untouched.
 */
public class EventValidator {
    private final int maxBytes;
    private final EventCatalog catalog;

    public EventValidator(int maxBytes, EventCatalog catalog) {
        this.maxBytes = maxBytes;
        this.catalog = catalog;
    }

    /**
     * @param body         the message body: a String (JMS TextMessage) or byte[] (BytesMessage, UTF-8)
     * @param expectedType the type the source queue carries
     * @throws BridgeFailure when the event breaks the contract
     */
    public ChatEvent validate(Object body, String expectedType) {
        EventType type = catalog.type(expectedType)
                .orElseThrow(() -> new IllegalStateException("no catalog entry for " + expectedType));
        String json = text(body);
        JsonNode root = parse(json);
        if (!root.isObject()) {
            throw BridgeFailure.poison("wrong-type", "$", "the event must be a JSON object");
        }
        String id = requiredId(root, type.id());
        if (type.typeField() != null) {
            checkType(requiredString(root, type.typeField()), type);
        }
        Instant occurredAt = requiredInstant(root, type.occurredAt());
        Set<ValidationMessage> violations = type.schema().validate(root);
        if (!violations.isEmpty()) {
            throw SchemaViolations.explain(violations, type.schemaJson());
        }
        String orderingKey = requiredId(root, type.orderingKey());
        return new ChatEvent(id, type.name(), occurredAt, orderingKey, json);
    }

    private void checkType(String named, EventType expected) {
        if (named.equals(expected.name())) {
            return;
        }
        String field = field(expected.typeField());
        if (!catalog.isKnown(named)) {
            throw BridgeFailure.poison("unknown-type", field,
                    "unknown event type '" + abbreviate(named) + "'; known types are " + catalog.names());
        }
        throw BridgeFailure.poison("unknown-type", field, "event type '" + named + "' does not belong on "
                + expected.sourceQueue() + " (publish it to " + catalog.type(named).orElseThrow().sourceQueue() + ")");
    }

    private String text(Object body) {
        if (body instanceof String s) {
            // A UTF-8 byte is at least one char, so only a long string can be over the limit.
            if (s.length() > maxBytes / 3 && s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                throw tooLarge();
            }
            return s;
        }
        if (body instanceof byte[] bytes) {
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            try {
                return StrictJson.decodeUtf8(bytes);
            } catch (CharacterCodingException e) {
                throw BridgeFailure.poison("invalid-encoding", null, "the body is not valid UTF-8");
            }
        }
        if (body == null) {
            throw BridgeFailure.poison("invalid-json", null, "the message has no body");
        }
        throw BridgeFailure.poison("unsupported-body", null, "unsupported message body "
                + body.getClass().getSimpleName() + "; publish JSON as a text or bytes message");
    }

    private BridgeFailure tooLarge() {
        return BridgeFailure.poison("body-too-large", null, "the body is larger than " + maxBytes + " bytes");
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = StrictJson.MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw BridgeFailure.poison("invalid-json", null, "the body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw BridgeFailure.poison("invalid-json", null, StrictJson.describe(e));
        }
    }

    private static String requiredId(JsonNode root, JsonPointer pointer) {
        String value = requiredString(root, pointer);
        if (!StrictJson.ID.matcher(value).matches()) {
            String path = field(pointer);
            throw BridgeFailure.poison("invalid-value", path,
                    path + " must be 1 to 200 printable ASCII characters without spaces");
        }
        return value;
    }

    private static String requiredString(JsonNode root, JsonPointer pointer) {
        JsonNode node = root.at(pointer);
        if (node.isMissingNode() || node.isNull()) {
            throw missing(pointer, "is missing");
        }
        if (!node.isTextual()) {
            String path = field(pointer);
            throw BridgeFailure.poison("wrong-type", path, path + " must be a string");
        }
        String value = node.textValue();
        if (value.isBlank()) {
            throw missing(pointer, "is empty");
        }
        return value;
    }

    /** The field is named only when it is at fault: this runs four times for every event. */
    private static BridgeFailure missing(JsonPointer pointer, String what) {
        String path = field(pointer);
        return BridgeFailure.poison("missing-field", path, "required field " + path + " " + what);
    }

    private static Instant requiredInstant(JsonNode root, JsonPointer pointer) {
        String value = requiredString(root, pointer);
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            String path = field(pointer);
            throw BridgeFailure.poison("invalid-value", path,
                    path + " must be an ISO-8601 date-time with offset, such as 2026-11-24T10:15:30Z");
        }
    }

    /** /visitor/id as visitor.id, /items/0/sku as items[0].sku: how chatbridgeField names a field. */
    static String field(JsonPointer pointer) {
        StringBuilder path = new StringBuilder();
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.mayMatchElement()) {
                path.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(p.getMatchingProperty());
            }
        }
        return path.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
