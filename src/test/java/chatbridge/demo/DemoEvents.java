package chatbridge.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The chat system's side of the story: three visitors come online (Chinese, English, and German, which this partner
 * answers in English) and two of them complete an order. The JSON follows the README's event contract.
 */
final class DemoEvents {
    /** One event as the chat system publishes it. */
    record DemoEvent(String id, String type, String queue, String label, String json) {
    }

    private DemoEvents() {
    }

    /** The events in publish order; each is built when it is published, so its occurredAt is fresh. */
    static List<Function<Instant, DemoEvent>> script() {
        return List.of(
                at -> visitorOnline(at, "v-1029", "陈美", "mei@example.com", "zh-CN", "CN", "mobile"),
                at -> visitorOnline(at, "v-2051", "Ana Souza", "ana@example.com", "en-US", "US", "desktop"),
                at -> orderCompleted(at, "v-2051", "en-US", "o-5521", "10042", "129.90", "USD",
                        item("TEA-01", "Tea set", 1, "129.90")),
                at -> visitorOnline(at, "v-3307", "Lukas Becker", "lukas@example.com", "de-DE", "DE", "desktop"),
                at -> orderCompleted(at, "v-1029", "zh-CN", "o-5522", "10043", "899.00", "CNY",
                        item("TEAPOT-7", "紫砂茶壶", 1, "599.00"), item("GIFT-2", "茶叶礼盒", 2, "150.00")));
    }

    static DemoEvent visitorOnline(Instant at, String visitorId, String name, String email, String language,
                                   String country, String device) {
        String id = newId();
        ObjectNode event = envelope(id, "visitor.online", at);
        event.putObject("visitor").put("id", visitorId).put("name", name).put("email", email)
                .put("language", language).put("country", country);
        event.putObject("session").put("id", "s-" + visitorId.substring(2)).put("page", "https://shop.example.com/")
                .put("device", device);
        return new DemoEvent(id, "visitor.online", "chat.visitor.online",
                "visitor.online " + id + " (" + name + ", " + language + ")", event.toString());
    }

    static DemoEvent orderCompleted(Instant at, String visitorId, String language, String orderId, String number,
                                    String amount, String currency, ObjectNode... items) {
        String id = newId();
        ObjectNode event = envelope(id, "order.completed", at);
        // The chat system passes on what it knows about the visitor, so the partner can answer in their language.
        event.putObject("visitor").put("id", visitorId).put("language", language);
        ObjectNode order = event.putObject("order").put("id", orderId).put("number", number);
        order.putObject("total").put("amount", amount).put("currency", currency);
        order.putArray("items").addAll(List.of(items));
        order.put("url", "https://shop.example.com/orders/" + number);
        return new DemoEvent(id, "order.completed", "chat.order.completed",
                "order.completed " + id + " (order " + number + ", " + currency + " " + amount + ", " + visitorId + ")",
                event.toString());
    }

    private static ObjectNode envelope(String id, String type, Instant at) {
        return PartnerReplies.JSON.createObjectNode().put("id", id).put("type", type)
                .put("occurredAt", at.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    private static ObjectNode item(String sku, String name, int quantity, String price) {
        return PartnerReplies.JSON.createObjectNode().put("sku", sku).put("name", name).put("quantity", quantity)
                .put("price", price);
    }

    private static String newId() {
        return "evt-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
