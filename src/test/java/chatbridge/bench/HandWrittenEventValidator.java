package chatbridge.bench;

import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;


import chatbridge.events.ChatEvent;
import chatbridge.events.StrictJson;
import chatbridge.failures.BridgeFailure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bench's yardstick: the hand-written validator the bridge had before the event catalog (commit b33ea5a), the two
 * built-in types coded in Java. Phase 2v drains the same backlog with it and with the catalog's JSON Schemas. Same
 * verdicts as the schema validator on EventValidatorTest's inputs.
 */
public class HandWrittenEventValidator {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final String VISITOR_ONLINE = "visitor.online";
    private static final String ORDER_COMPLETED = "order.completed";
    private static final java.util.List<String> ALL = java.util.List.of(VISITOR_ONLINE, ORDER_COMPLETED);

    private final int maxBytes;

    public HandWrittenEventValidator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param body         the message body: a String (JMS TextMessage) or byte[] (BytesMessage, UTF-8)
     * @param expectedType the type the source queue carries
     * @throws BridgeFailure when the event breaks the contract
     */
    public ChatEvent validate(Object body, String expectedType) {
        String json = text(body);
        JsonNode root = parse(json);
        if (!root.isObject()) {
            throw BridgeFailure.poison("wrong-type", "$", "the event must be a JSON object");
        }
        String id = requiredId(root, "id");
        String type = requiredString(root, "type");
        if (!ALL.contains(type)) {
            throw BridgeFailure.poison("unknown-type", "type",
                    "unknown event type '" + abbreviate(type) + "'; known types are " + ALL);
        }
        if (!type.equals(expectedType)) {
            throw BridgeFailure.poison("unknown-type", "type", "event type '" + type + "' does not belong on "
                    + "chat." + expectedType + " (publish it to " + "chat." + type + ")");
        }
        Instant occurredAt = requiredInstant(root, "occurredAt");
        JsonNode visitor = requiredObject(root, "visitor", "visitor");
        String visitorId = requiredId(visitor, "visitor.id");
        optionalStrings(visitor, "visitor", "name", "email", "language", "country");
        optionalObject(visitor.get("attributes"), "visitor.attributes");
        JsonNode session = optionalObject(root.get("session"), "session");
        if (session != null) {
            optionalStrings(session, "session", "id", "page", "referrer", "device");
        }
        if (ORDER_COMPLETED.equals(type)) {
            checkOrder(requiredObject(root, "order", "order"));
        }
        return new ChatEvent(id, type, occurredAt, visitorId, json);
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

    private static void checkOrder(JsonNode order) {
        requiredId(order, "order.id");
        optionalStrings(order, "order", "number");
        JsonNode url = order.get("url");
        if (url != null && !url.isNull()) {
            String link = stringValue(url, "order.url");
            if (!(link.startsWith("https://") || link.startsWith("http://"))) {
                throw BridgeFailure.poison("invalid-value", "order.url", "order.url must be an http(s) URL");
            }
        }
        JsonNode total = optionalObject(order.get("total"), "order.total");
        if (total != null) {
            decimal(total.get("amount"), "order.total.amount");
            JsonNode currency = total.get("currency");
            if (currency != null && !CURRENCY.matcher(stringValue(currency, "order.total.currency")).matches()) {
                throw BridgeFailure.poison("invalid-value", "order.total.currency",
                        "order.total.currency must be an ISO 4217 code such as USD");
            }
        }
        JsonNode items = order.get("items");
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw wrongType("order.items", "an array");
            }
            for (int i = 0; i < items.size(); i++) {
                String path = "order.items[" + i + "]";
                JsonNode item = optionalObject(items.get(i), path);
                if (item == null) {
                    throw wrongType(path, "an object");
                }
                optionalStrings(item, path, "sku", "name");
                JsonNode quantity = item.get("quantity");
                if (quantity != null && !quantity.isNull() && !(quantity.isIntegralNumber() && quantity.asLong() >= 0)) {
                    throw wrongType(path + ".quantity", "a non-negative integer");
                }
                decimal(item.get("price"), path + ".price");
            }
        }
    }

    private static void decimal(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return;
        }
        String value = stringValue(node, path);
        try {
            new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw BridgeFailure.poison("invalid-value", path, path + " must be a decimal string such as \"129.90\"");
        }
    }

    private static String requiredId(JsonNode parent, String path) {
        String value = requiredString(parent, path);
        if (!StrictJson.ID.matcher(value).matches()) {
            throw BridgeFailure.poison("invalid-value", path,
                    path + " must be 1 to 200 printable ASCII characters without spaces");
        }
        return value;
    }

    private static String requiredString(JsonNode parent, String path) {
        JsonNode node = parent.get(leaf(path));
        if (node == null || node.isNull()) {
            throw BridgeFailure.poison("missing-field", path, "required field " + path + " is missing");
        }
        String value = stringValue(node, path);
        if (value.isBlank()) {
            throw BridgeFailure.poison("missing-field", path, "required field " + path + " is empty");
        }
        return value;
    }

    private static Instant requiredInstant(JsonNode parent, String path) {
        String value = requiredString(parent, path);
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw BridgeFailure.poison("invalid-value", path,
                    path + " must be an ISO-8601 date-time with offset, such as 2026-11-24T10:15:30Z");
        }
    }

    private static JsonNode requiredObject(JsonNode parent, String name, String path) {
        JsonNode node = optionalObject(parent.get(name), path);
        if (node == null) {
            throw BridgeFailure.poison("missing-field", path, "required object " + path + " is missing");
        }
        return node;
    }

    private static JsonNode optionalObject(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw wrongType(path, "an object");
        }
        return node;
    }

    private static void optionalStrings(JsonNode parent, String parentPath, String... names) {
        for (String name : names) {
            JsonNode node = parent.get(name);
            if (node != null && !node.isNull()) {
                stringValue(node, parentPath + "." + name);
            }
        }
    }

    private static String stringValue(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw wrongType(path, "a string");
        }
        return node.textValue();
    }

    private static BridgeFailure wrongType(String path, String expected) {
        return BridgeFailure.poison("wrong-type", path, path + " must be " + expected);
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
