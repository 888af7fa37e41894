package chatbridge.openapi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.util.Set;

import chatbridge.events.StrictJson;
import chatbridge.problems.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code POST /openapi/v1/messages} body: 400 when it is not JSON, 422 (naming the field) when it is
 * JSON but not a valid message.
 */
public class MessageValidator {
    private static final Set<String> TYPES = Set.of("text", "link", "card");
    private static final int MAX_TITLE = 200;
    private static final int MAX_URL = 2048;

    private final int maxTextLength;

    public MessageValidator(int maxTextLength) {
        this.maxTextLength = maxTextLength;
    }

    public InboundMessage validate(byte[] body) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw invalid("$", "the body must be a JSON object");
        }
        String visitorId = id(root, "visitorId", true);
        String inReplyTo = id(root, "inReplyTo", false);
        JsonNode message = root.get("message");
        if (message == null || message.isNull()) {
            throw invalid("message", "message is required");
        }
        if (!message.isObject()) {
            throw invalid("message", "message must be an object");
        }
        String type = string(message, "message.type", "type", true, 20);
        if (!TYPES.contains(type)) {
            throw invalid("message.type", "unknown message type '" + type + "'; use text, link or card");
        }
        ObjectNode clean = StrictJson.MAPPER.createObjectNode().put("type", type);
        switch (type) {
            case "text" -> clean.put("text", string(message, "message.text", "text", true, maxTextLength));
            case "link" -> {
                clean.put("text", string(message, "message.text", "text", true, maxTextLength));
                clean.put("url", url(message, "message.url", "url", true));
            }
            default -> {
                clean.put("title", string(message, "message.title", "title", true, MAX_TITLE));
                String text = string(message, "message.text", "text", false, maxTextLength);
                if (text != null) {
                    clean.put("text", text);
                }
                clean.put("url", url(message, "message.url", "url", true));
                String image = url(message, "message.imageUrl", "imageUrl", false);
                if (image != null) {
                    clean.put("imageUrl", image);
                }
            }
        }
        return new InboundMessage(visitorId, inReplyTo, type, clean);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new Problem(ProblemType.MALFORMED_JSON, "the request body is empty");
        }
        String text;
        try {
            text = StrictJson.decodeUtf8(body);
        } catch (CharacterCodingException e) {
            throw new Problem(ProblemType.MALFORMED_JSON, "the request body is not valid UTF-8");
        }
        try {
            return StrictJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Problem(ProblemType.MALFORMED_JSON, StrictJson.describe(e));
        }
    }

    private static String id(JsonNode parent, String name, boolean required) {
        String value = string(parent, name, name, required, Integer.MAX_VALUE);
        if (value != null && !StrictJson.ID.matcher(value).matches()) {
            throw invalid(name, name + " must be 1 to 200 printable ASCII characters without spaces");
        }
        return value;
    }

    private static String string(JsonNode parent, String path, String name, boolean required, int maxLength) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(path, path + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(path, path + " must be a string");
        }
        String value = node.textValue();
        if (required && value.isBlank()) {
            throw invalid(path, path + " must not be empty");
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw invalid(path, path + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    private static String url(JsonNode parent, String path, String name, boolean required) {
        String value = string(parent, path, name, required, MAX_URL);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(path, path + " must be an absolute http(s) URL");
    }

    private static Problem invalid(String field, String detail) {
        return new Problem(ProblemType.INVALID_MESSAGE, detail, field);
    }
}
