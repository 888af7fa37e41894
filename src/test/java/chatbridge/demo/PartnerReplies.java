package chatbridge.demo;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulated partner's business logic: what it answers to each event, in the visitor's language (Chinese for
 * {@code zh*}, English otherwise).
 */
final class PartnerReplies {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The body of {@code POST /openapi/v1/messages}, and a short description for the trace (text, or card title). */
    record Reply(ObjectNode request, String description) {
    }

    private PartnerReplies() {
    }

    /**
     * @param webhookId the webhook-id, which is the event id: the reply names it in {@code inReplyTo}
     * @param payload   the webhook body {@code {"type","timestamp","data": <event>}}
     * @return null for event types this partner does not answer
     */
    static Reply replyTo(String webhookId, JsonNode payload) {
        JsonNode event = payload.path("data");
        JsonNode visitor = event.path("visitor");
        boolean chinese = visitor.path("language").asText("").toLowerCase(Locale.ROOT).startsWith("zh");
        ObjectNode message;
        switch (payload.path("type").asText()) {
            case "visitor.online" -> message = JSON.createObjectNode().put("type", "text")
                    .put("text", welcome(visitor.path("name").asText(""), chinese));
            case "order.completed" -> message = orderCard(event.path("order"), chinese);
            default -> {
                return null;
            }
        }
        ObjectNode request = JSON.createObjectNode()
                .put("visitorId", visitor.path("id").asText())
                .put("inReplyTo", webhookId);
        request.set("message", message);
        return new Reply(request, brief(message));
    }

    static String welcome(String name, boolean chinese) {
        String trimmed = name.trim();
        if (chinese) {
            // Chinese names are used whole (陈美), not cut at a space.
            return trimmed.isEmpty() ? "欢迎回来！" : "欢迎回来，" + trimmed + "！";
        }
        String firstName = trimmed.split("\\s+")[0];
        return firstName.isEmpty() ? "Welcome back!" : "Welcome back, " + firstName + "!";
    }

    /** A card linking to the order; without a link (order.url is optional) a plain text message instead. */
    static ObjectNode orderCard(JsonNode order, boolean chinese) {
        String number = order.path("number").asText(order.path("id").asText());
        JsonNode total = order.path("total");
        String amount = total.path("currency").asText("") + " " + total.path("amount").asText("");
        String title = chinese ? "订单 " + number + " 已确认" : "Order " + number + " confirmed";
        String text = chinese ? "合计：" + amount.trim() + "。感谢您的购买！" : "Total: " + amount.trim() + ". Thank you for your order!";
        String url = order.path("url").asText("");
        if (url.isEmpty()) {
            return JSON.createObjectNode().put("type", "text").put("text", title + " · " + text);
        }
        return JSON.createObjectNode().put("type", "card").put("title", title).put("text", text).put("url", url);
    }

    static String brief(JsonNode message) {
        String type = message.path("type").asText();
        return type + " \"" + message.path("card".equals(type) ? "title" : "text").asText() + "\"";
    }

    /** One line for the trace: the text, or the card's title, text and link. */
    static String describe(JsonNode message) {
        if ("card".equals(message.path("type").asText())) {
            return "card \"" + message.path("title").asText() + "\" · " + message.path("text").asText() + " · "
                    + message.path("url").asText();
        }
        return message.path("type").asText() + " \"" + message.path("text").asText() + "\"";
    }
}
