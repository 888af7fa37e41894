package chatbridge.events;

import java.util.Collection;
import java.util.Comparator;

import chatbridge.catalog.CatalogLoader;
import chatbridge.failures.BridgeFailure;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;

/**
 * Turns a JSON Schema violation into the dead letter's explanation, with the reasons chat-bridge has always used:
 * a required field that is absent, null or blank is missing-field; a value of the wrong JSON type is wrong-type;
 * any other broken constraint (pattern, format, range, enum, ...) is invalid-value. A schema can name another reason
 * for its own constraints with x-chatbridge-reason, and word the detail with message.
 */
final class SchemaViolations {
    private SchemaViolations() {
    }

    /** The violation nearest the event's top (a missing top-level field before a bad value deep inside). */
    static BridgeFailure explain(Collection<ValidationMessage> violations, JsonNode schema) {
        ValidationMessage first = violations.stream()
                .min(Comparator.comparingInt(v -> v.getInstanceLocation().getNameCount()))
                .orElseThrow();
        return explain(first, schema);
    }

    static BridgeFailure explain(ValidationMessage violation, JsonNode schema) {
        String location = violation.getInstanceLocation().toString();
        String at = location.equals("$") ? "" : location.startsWith("$.") ? location.substring(2) : location;
        String keyword = violation.getType();
        JsonNode value = violation.getInstanceNode();
        if ("required".equals(keyword)) {
            String field = at.isEmpty() ? violation.getProperty() : at + "." + violation.getProperty();
            return BridgeFailure.poison("missing-field", field, "required field " + field + " is missing");
        }
        String field = at.isEmpty() ? "$" : at;
        if (value != null && value.isNull() && "type".equals(keyword)) {
            return BridgeFailure.poison("missing-field", field, "required field " + field + " is missing");
        }
        if (value != null && value.isTextual() && value.textValue().isBlank()
                && ("minLength".equals(keyword) || "pattern".equals(keyword))) {
            return BridgeFailure.poison("missing-field", field, "required field " + field + " is empty");
        }
        String reason = reasonOverride(violation, schema);
        if (reason == null) {
            reason = "type".equals(keyword) ? "wrong-type" : "invalid-value";
        }
        return BridgeFailure.poison(reason, field, detail(violation, location, field));
    }

    /** The x-chatbridge-reason of the schema object whose keyword was broken, if it has one. */
    private static String reasonOverride(ValidationMessage violation, JsonNode schema) {
        String fragment = violation.getSchemaLocation().getFragment().toString();
        int lastSlash = fragment.lastIndexOf('/');
        if (!fragment.startsWith("/")) {
            return null;
        }
        try {
            JsonNode owner = schema.at(JsonPointer.compile(fragment.substring(0, lastSlash)));
            JsonNode reason = owner.get(CatalogLoader.REASON_KEYWORD);
            return reason != null && reason.isTextual() ? reason.textValue() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The schema's own message, or the validator's, with the field named as chatbridgeField names it. */
    private static String detail(ValidationMessage violation, String location, String field) {
        String message = violation.getMessage();
        if (message.startsWith(location + ": ")) {
            message = field + " " + message.substring(location.length() + 2);
        }
        message = message.replace(location, field);
        return message.length() <= 300 ? message : message.substring(0, 300) + "…";
    }
}
