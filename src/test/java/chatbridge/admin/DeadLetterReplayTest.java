package chatbridge.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import chatbridge.testing.WebhookReceiver.Request;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead letters on the real broker, seen and handled through the admin API: listed with filters without being
 * consumed, replayed to the queue they failed from (delivered with their own webhook-id and a valid signature),
 * never replayed when the bridge did not write them, expired ones only with ignoreFreshness, invalid events back
 * through validation, purged only when confirmed.
 */
class DeadLetterReplayTest {
    private static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    private static WebhookReceiver partner;
    private static BridgeRunner bridge;
    private static AdminClient admin;
    private static ChatSystem chat;

    @BeforeAll
    static void start() {
        partner = new WebhookReceiver();
        bridge = new BridgeRunner()
                .set("chatbridge.admin.token", AdminApiTest.TOKEN)
                .set("chatbridge.partner.id", "shop")
                .set("chatbridge.partner.webhook-url", partner.url())
                .set("chatbridge.partner.webhook-secret", SECRET)
                .set("chatbridge.delivery.local-retries", "0")
                .start();
        admin = new AdminClient(bridge.managementPort(), AdminApiTest.TOKEN);
        chat = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        chat.close();
        bridge.close();
        partner.close();
    }

    @BeforeEach
    void emptyDeadLetterQueues() {
        partner.respondWith(request -> Reply.ok());
        assertEquals(200, admin.post("/admin/dead-letters/purge", "{\"confirm\": true}").status());
        assertEquals(0, deadLetters("").size());
    }

    private static List<JsonNode> deadLetters(String query) {
        AdminClient.Answer answer = admin.get("/admin/dead-letters" + (query.isEmpty() ? "" : "?" + query));
        assertEquals(200, answer.status(), answer.body());
        List<JsonNode> found = new ArrayList<>();
        answer.json().get("deadLetters").forEach(found::add);
        return found;
    }

    @Test
    void deadLettersAreListedWithoutBeingConsumedAndReplayedWithTheirOwnIds() {
        partner.respondWith(request -> Reply.status(400));
        for (String id : List.of("dl-1", "dl-2", "dl-3")) {
            chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "v-" + id, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("partner=shop").size() == 3);

        JsonNode first = deadLetters("partner=shop").stream().filter(d -> d.get("id").asText().equals("dl-1")).findFirst().orElseThrow();
        assertEquals("DLQ.webhook.shop", first.get("queue").asText());
        assertEquals("webhook.shop", first.get("sourceQueue").asText());
        assertEquals("order.completed", first.get("type").asText());
        assertEquals("shop", first.get("partner").asText());
        assertEquals("http-400", first.get("reason").asText());
        assertEquals(400, first.get("lastStatus").asInt());
        assertEquals(1, first.get("attempts").asInt());
        assertFalse(first.get("failedAt").isNull());
        assertFalse(first.has("body"), "bodies only when asked for");

        assertEquals(3, deadLetters("reason=http-400&type=order.completed&queue=DLQ.webhook.shop&since=1h").size());
        assertEquals(0, deadLetters("type=visitor.online").size());
        assertEquals(0, deadLetters("reason=http-500").size());
        assertEquals(0, deadLetters("until=1h").size());
        assertEquals(0, deadLetters("partner=someone-else").size());
        JsonNode limited = admin.get("/admin/dead-letters?limit=2").json();
        assertEquals(2, limited.get("count").asInt());
        assertTrue(limited.get("truncated").asBoolean());
        assertTrue(deadLetters("include=body").get(0).get("body").asText().contains("\"order.completed\""));

        JsonNode dryRun = admin.post("/admin/dead-letters/replay", "{\"partner\": \"shop\", \"dryRun\": true}").json();
        assertEquals(3, dryRun.get("matched").asInt());
        assertEquals(0, dryRun.get("replayed").asInt());
        assertEquals(3, deadLetters("").size(), "a dry run moves nothing");

        partner.respondWith(request -> Reply.ok());
        assertEquals(1, admin.post("/admin/dead-letters/replay", "{\"ids\": [\"dl-1\"]}").json().get("replayed").asInt());
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.acknowledgedIds().contains("dl-1"));
        assertEquals(2, deadLetters("").size());
        assertEquals(2, admin.post("/admin/dead-letters/replay", "{\"partner\": \"shop\"}").json().get("replayed").asInt());
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.acknowledgedIds().containsAll(List.of("dl-1", "dl-2", "dl-3")));
        assertEquals(0, deadLetters("").size());

        for (String id : List.of("dl-1", "dl-2", "dl-3")) {
            Request delivered = partner.requestsFor(id).get(partner.requestsFor(id).size() - 1);
            assertEquals(id, delivered.webhookId(), "the event id is still the webhook-id");
            assertTrue(StandardWebhooks.verify(SECRET, delivered.webhookId(), delivered.header("webhook-timestamp"),
                    delivered.body(), delivered.header("webhook-signature")), "signed like any delivery");
        }
        assertEquals(0, admin.partner("shop").get("deadLetters").asInt());
    }

    @Test
    void whatTheBridgeDidNotWriteIsNeverReplayed() {
        Map<String, Object> forged = Map.of("chatbridgeEventId", "forged-1", "chatbridgeEventType", "order.completed",
                "chatbridgeOccurredAt", Instant.now().toString(), "JMSXGroupID", "v-x");
        chat.sendText("webhook.shop", ChatSystem.orderCompleted("forged-1", "v-x", Instant.now()), forged);
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("reason=not-from-bridge").size() == 1);

        JsonNode answer = admin.post("/admin/dead-letters/replay", "{\"reason\": \"not-from-bridge\"}").json();
        assertEquals(0, answer.get("replayed").asInt());
        assertEquals(1, answer.get("skipped").asInt());
        assertEquals(1, deadLetters("reason=not-from-bridge").size(), "left where it was");
        assertTrue(partner.requestsFor("forged-1").isEmpty());
    }

    @Test
    void expiredEventsAreDeliveredOnlyWhenTheOperatorSaysTheirAgeDoesNotMatter() {
        Instant anHourAgo = Instant.now().minusSeconds(3600);
        chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("old-1", "v-old", anHourAgo));
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("queue=EXPIRED.webhook.shop").size() == 1);
        assertEquals(1, admin.partner("shop").get("expired").asInt());

        assertEquals(1, admin.post("/admin/dead-letters/replay", "{\"queue\": \"EXPIRED.webhook.shop\"}").json().get("replayed").asInt());
        // Still too old: expired again, never sent.
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("queue=EXPIRED.webhook.shop").size() == 1);
        assertTrue(partner.requestsFor("old-1").isEmpty());

        assertEquals(1, admin.post("/admin/dead-letters/replay",
                "{\"queue\": \"EXPIRED.webhook.shop\", \"ignoreFreshness\": true}").json().get("replayed").asInt());
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.acknowledgedIds().contains("old-1"));
        assertEquals(0, deadLetters("").size());
    }

    @Test
    void invalidEventsGoBackThroughValidation() {
        // Invalid as published: replayed, it fails validation again and is back in its DLQ, once (no loop).
        chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("bad-1", "", Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("queue=DLQ.chat.visitor.online").size() == 1);
        JsonNode bad = deadLetters("queue=DLQ.chat.visitor.online").get(0);
        assertEquals("visitor.online", bad.get("type").asText());
        String firstFailure = bad.get("failedAt").asText();
        assertEquals(1, admin.post("/admin/dead-letters/replay", "{\"queue\": \"DLQ.chat.visitor.online\"}").json().get("replayed").asInt());
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<JsonNode> again = deadLetters("queue=DLQ.chat.visitor.online");
            return again.size() == 1 && !again.get(0).get("failedAt").asText().equals(firstFailure);
        });

        // Dead-lettered when the producer (or the catalog) was wrong and valid now: replayed, it is delivered.
        chat.sendText("DLQ.chat.visitor.online", ChatSystem.visitorOnline("fixed-1", "v-fixed", Instant.now()),
                Map.of("chatbridgeReason", "missing-field", "chatbridgeSourceQueue", "chat.visitor.online"));
        // A poison event need not have an event id the bridge could read: it is listed, and replayed, by its message id.
        JsonNode fixed = deadLetters("queue=DLQ.chat.visitor.online&include=body").stream()
                .filter(d -> d.get("body").asText().contains("fixed-1")).findFirst().orElseThrow();
        assertEquals(fixed.get("messageId").asText(), fixed.get("id").asText());
        assertEquals(1, admin.post("/admin/dead-letters/replay", "{\"ids\": [\"" + fixed.get("id").asText() + "\"]}")
                .json().get("replayed").asInt());
        await().atMost(Duration.ofSeconds(15)).until(() -> partner.acknowledgedIds().contains("fixed-1"));
    }

    @Test
    void purgingNeedsConfirmation() {
        partner.respondWith(request -> Reply.status(410));
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted("gone-1", "v-g", Instant.now()));
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted("gone-2", "v-g", Instant.now()));
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("reason=endpoint-gone").size() == 2);

        AdminClient.Answer refused = admin.post("/admin/dead-letters/purge", "{\"reason\": \"endpoint-gone\"}");
        assertEquals(422, refused.status());
        assertEquals(2, deadLetters("").size());
        assertEquals(1, admin.post("/admin/dead-letters/purge", "{\"ids\": [\"gone-1\"], \"confirm\": true}").json().get("purged").asInt());
        assertEquals(1, admin.post("/admin/dead-letters/purge", "{\"reason\": \"endpoint-gone\", \"confirm\": true}").json().get("purged").asInt());
        assertEquals(0, deadLetters("").size());
    }
}
