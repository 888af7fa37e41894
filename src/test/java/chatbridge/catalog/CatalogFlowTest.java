package chatbridge.catalog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.Catalogs;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog and partner payloads end to end, on the real bridge and broker: a type added by files alone (in a
 * temporary directory), wildcard subscriptions, a jq and a JSONata transform, the envelope switched off, a filter,
 * a transform that fails, and a type nobody subscribes to, which is not consumed.
 */
class CatalogFlowTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String TICKET_RATED = """
            type: ticket.rated
            description: A visitor rated the support ticket their chat became.
            schema: ticket.rated.schema.json
            fields:
              id: /eventId
              occurredAt: /ratedAt
              orderingKey: /ticket/id
            delivery:
              maxAttempts: 3
            """;
    static final String TICKET_RATED_SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object",
             "required": ["eventId", "ratedAt", "ticket", "score"],
             "properties": {
               "eventId": {"type": "string"},
               "ratedAt": {"type": "string", "format": "date-time"},
               "ticket": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
               "score": {"type": "integer", "minimum": 1, "maximum": 5}
             }}
            """;
    /** In the catalog, subscribed by nobody. */
    static final String VISITOR_OFFLINE = """
            type: visitor.offline
            schema: visitor.offline.schema.json
            fields: {id: /id, occurredAt: /occurredAt, orderingKey: /visitor/id}
            """;

    static WebhookReceiver raw;
    static WebhookReceiver bigOrders;
    static WebhookReceiver broken;
    static BridgeRunner bridge;
    static ChatSystem chat;

    @BeforeAll
    static void start() throws IOException {
        Path catalog = Catalogs.copy();
        Files.writeString(catalog.resolve("ticket.rated.yaml"), TICKET_RATED);
        Files.writeString(catalog.resolve("ticket.rated.schema.json"), TICKET_RATED_SCHEMA);
        Files.writeString(catalog.resolve("visitor.offline.yaml"), VISITOR_OFFLINE);
        Files.writeString(catalog.resolve("visitor.offline.schema.json"), "{\"type\": \"object\"}");

        raw = new WebhookReceiver();
        bigOrders = new WebhookReceiver();
        broken = new WebhookReceiver();
        bridge = new BridgeRunner()
                .set("chatbridge.events.dir", catalog.toString())
                .partners("""
                        partners:
                          - id: raw
                            webhookUrl: "%s"
                            secrets: [%s]
                            envelope: false
                            events:
                              - type: ticket.*
                                transform: {jq: '{ticket: .data.ticket.id, stars: .data.score}'}
                          - id: big-orders
                            webhookUrl: "%s"
                            secrets: [%s]
                            events:
                              - visitor.online
                              - type: order.*
                                filter: {jsonata: '$number(data.order.total.amount) >= 100'}
                                transform: {jsonata: '{"orderId": data.order.id, "total": data.order.total.amount}'}
                          - id: broken
                            webhookUrl: "%s"
                            secrets: [%s]
                            events:
                              - type: ticket.rated
                                transform: {jsonata: '$error("no tickets today")'}
                        """.formatted(raw.url(), SECRET, bigOrders.url(), SECRET, broken.url(), SECRET))
                .start();
        chat = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        chat.close();
        bridge.close();
        raw.close();
        bigOrders.close();
        broken.close();
    }

    static String ticketRated(String id, Object score) {
        return "{\"eventId\":\"" + id + "\",\"ratedAt\":\"" + Instant.now() + "\",\"ticket\":{\"id\":\"t-" + id
                + "\"},\"score\":" + score + ",\"comment\":\"kept\"}";
    }

    static Received deadLetter(String queue, String id) {
        Received[] found = new Received[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found[0] = chat.browse(queue).stream().filter(m -> m.body() != null && m.body().contains("\"" + id + "\""))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void aTypeAddedByFilesIsValidatedAndDeliveredInThePartnersOwnShape() {
        chat.sendText("chat.ticket.rated", ticketRated("rate-1", 5));
        await().atMost(Duration.ofSeconds(20)).until(() -> raw.requestsFor("rate-1").size() == 1);
        WebhookReceiver.Request request = raw.requestsFor("rate-1").get(0);
        // envelope: false and a jq transform: exactly the transform's JSON, and the signature covers those bytes.
        assertEquals("{\"ticket\":\"t-rate-1\",\"stars\":5}", request.bodyText());
        assertTrue(StandardWebhooks.verify(SECRET, "rate-1", request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature")));
    }

    @Test
    void anInvalidEventOfTheNewTypeIsDeadLetteredWithItsReason() {
        chat.sendText("chat.ticket.rated", ticketRated("rate-bad-score", 9));
        chat.sendText("chat.ticket.rated", ticketRated("rate-text-score", "\"five\""));
        chat.sendText("chat.ticket.rated", "{\"eventId\":\"rate-no-ticket\",\"ratedAt\":\"" + Instant.now() + "\",\"score\":3}");

        Received badScore = deadLetter("DLQ.chat.ticket.rated", "rate-bad-score");
        assertEquals("invalid-value", badScore.property("chatbridgeReason"));
        assertEquals("score", badScore.property("chatbridgeField"));
        Received textScore = deadLetter("DLQ.chat.ticket.rated", "rate-text-score");
        assertEquals("wrong-type", textScore.property("chatbridgeReason"));
        Received noTicket = deadLetter("DLQ.chat.ticket.rated", "rate-no-ticket");
        assertEquals("missing-field", noTicket.property("chatbridgeReason"));
        assertEquals("ticket", noTicket.property("chatbridgeField"));
        for (String id : List.of("rate-bad-score", "rate-text-score", "rate-no-ticket")) {
            assertTrue(raw.requestsFor(id).isEmpty() && broken.requestsFor(id).isEmpty(), id);
        }
    }

    @Test
    void aTransformThatFailsIsDeadLetteredWithTheDetailAndOtherPartnersStillGetTheEvent() {
        chat.sendText("chat.ticket.rated", ticketRated("rate-2", 4));
        Received dead = deadLetter("DLQ.webhook.broken", "rate-2");
        assertEquals("transform-failed", dead.property("chatbridgeReason"));
        assertTrue(String.valueOf(dead.property("chatbridgeDetail")).contains("no tickets today"),
                String.valueOf(dead.property("chatbridgeDetail")));
        assertTrue(broken.requestsFor("rate-2").isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> raw.requestsFor("rate-2").size() == 1);
    }

    @Test
    void aFilterSendsOnlyWhatItKeepsAndCountsTheRest() throws Exception {
        Instant now = Instant.now();
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted("order-big", "v-1", now));
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted("order-small", "v-1", now)
                .replace("\"amount\":\"129.90\"", "\"amount\":\"99.00\""));
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted("order-after", "v-1", now));

        await().atMost(Duration.ofSeconds(20)).until(() -> bigOrders.requestsFor("order-after").size() == 1);
        assertEquals("{\"type\":\"order.completed\",\"timestamp\":\"" + now + "\",\"data\":{\"orderId\":\"o-1\",\"total\":\"129.90\"}}",
                bigOrders.requestsFor("order-big").get(0).bodyText());
        assertTrue(bigOrders.requestsFor("order-small").isEmpty(), "filtered out");
        // Acknowledged, not parked: nothing is left on the partner's queue or dead-lettered.
        await().atMost(Duration.ofSeconds(10)).until(() -> chat.browse("webhook.big-orders").isEmpty());
        assertTrue(chat.browse("DLQ.webhook.big-orders").isEmpty());
        String metrics = get(bridge.managementPort(), "/observe/metrics");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("chatbridge_deliveries_total")
                && line.contains("partner=\"big-orders\"") && line.contains("event_type=\"order.completed\"")
                && line.contains("outcome=\"filtered\"") && !line.endsWith(" 0.0")),
                metrics.lines().filter(l -> l.contains("filtered")).toList().toString());
    }

    @Test
    void withoutATransformTheEventIsSentAsPublishedInsideTheEnvelope() {
        String event = ChatSystem.visitorOnline("visitor-as-is", "v-2", Instant.now());
        chat.sendText("chat.visitor.online", event);
        await().atMost(Duration.ofSeconds(20)).until(() -> bigOrders.requestsFor("visitor-as-is").size() == 1);
        String body = bigOrders.requestsFor("visitor-as-is").get(0).bodyText();
        assertTrue(body.startsWith("{\"type\":\"visitor.online\",\"timestamp\":") && body.endsWith(",\"data\":" + event + "}"), body);
    }

    @Test
    void aTypeNobodySubscribesToIsNotConsumedAndHealthSaysSo() throws Exception {
        String event = "{\"id\":\"offline-1\",\"occurredAt\":\"" + Instant.now() + "\",\"visitor\":{\"id\":\"v-3\"}}";
        chat.sendText("chat.visitor.offline", event);
        // A subscribed type sent after it has long been delivered: the bridge is consuming, just not that queue.
        chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("visitor-after-offline", "v-3", Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> bigOrders.requestsFor("visitor-after-offline").size() == 1);
        List<Received> waiting = chat.browse("chat.visitor.offline");
        assertEquals(1, waiting.size());
        assertEquals(event, waiting.get(0).body());
        assertTrue(bigOrders.requestsFor("offline-1").isEmpty());
        String health = get(bridge.managementPort(), "/observe/health?exposureLevel=full");
        assertTrue(health.contains("events wait on: chat.visitor.offline"), health);
    }

    static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.body();
    }
}
