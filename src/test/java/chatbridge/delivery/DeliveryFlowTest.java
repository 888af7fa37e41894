package chatbridge.delivery;

import java.nio.file.Path;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import chatbridge.testing.Catalogs;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import chatbridge.testing.WebhookReceiver.Request;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbound flow end to end: chat system → Artemis → bridge → partner HTTP endpoints, all real, on loopback.
 * Partner alpha takes both event types, beta only visitor.online. Each test uses its own event ids, and alpha
 * answers according to the id's prefix.
 */
class DeliveryFlowTest {
    static final String ALPHA_SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final String BETA_SECRET = "whsec_YmV0YS1wYXJ0bmVyLXNpZ25pbmctc2VjcmV0LTMyYg==";
    static final ObjectMapper JSON = new ObjectMapper();

    static WebhookReceiver alpha;
    static WebhookReceiver beta;
    static BridgeRunner bridge;
    static ChatSystem chat;

    @BeforeAll
    static void start() {
        alpha = new WebhookReceiver();
        beta = new WebhookReceiver();
        alpha.respondWith(DeliveryFlowTest::alphaBehaviour);
        bridge = new BridgeRunner()
                .partners("""
                        partners:
                          - id: alpha
                            webhookUrl: %s
                            secrets: [%s]
                            events: [visitor.online, order.completed]
                            headers: {X-Tenant: alpha-shop}
                          - id: beta
                            webhookUrl: %s
                            secrets: [%s]
                            events: [visitor.online]
                        """.formatted(alpha.url(), ALPHA_SECRET, beta.url(), BETA_SECRET))
                .brokerProperties("""
                        addressSettings."webhook.#".redeliveryDelay=300
                        addressSettings."webhook.#".redeliveryMultiplier=1.0
                        addressSettings."webhook.#".redeliveryCollisionAvoidanceFactor=0
                        """)
                .set("chatbridge.delivery.local-retries", "1")
                .set("chatbridge.delivery.local-retry-delay-millis", "50")
                .set("chatbridge.delivery.response-timeout-seconds", "1")
                .set("chatbridge.events.dir", Catalogs.copyWithDelivery(Path.of("target/catalogs/DeliveryFlowTest"), "order.completed", "maxAttempts", "3").toString())
                .set("chatbridge.ingest.max-event-bytes", "8192")
                .start();
        chat = new ChatSystem(bridge.brokerUrl());
    }

    @AfterAll
    static void stop() {
        chat.close();
        bridge.close();
        alpha.close();
        beta.close();
    }

    /** alpha's answers, chosen by the event id's prefix. */
    static Reply alphaBehaviour(Request request) {
        String id = request.webhookId() == null ? "" : request.webhookId();
        int attempt = request.attemptForId();
        if (id.startsWith("flaky-")) {
            return attempt == 1 ? Reply.status(500) : Reply.ok();
        }
        if (id.startsWith("reject-")) {
            return Reply.status(400);
        }
        if (id.startsWith("gone-")) {
            return Reply.status(410);
        }
        if (id.startsWith("slow-down-")) {
            return attempt == 1 ? new Reply(429, Map.of("Retry-After", "2"), 0) : Reply.ok();
        }
        if (id.startsWith("timeout-")) {
            return attempt == 1 ? new Reply(200, Map.of(), 2500) : Reply.ok();
        }
        if (id.startsWith("down-")) {
            return Reply.status(503);
        }
        return Reply.ok();
    }

    static String newId(String prefix) {
        return prefix + UUID.randomUUID();
    }

    static List<Request> awaitRequests(WebhookReceiver receiver, String id, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requestsFor(id), hasSize(count));
        return receiver.requestsFor(id);
    }

    static Received awaitOn(String queue, String eventId) {
        List<Received> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.clear();
            chat.browse(queue).stream().filter(m -> eventId.equals(m.property("chatbridgeEventId"))).forEach(found::add);
            return found.size() == 1;
        });
        return found.get(0);
    }

    @Test
    void visitorOnlineReachesEverySubscribedPartnerSignedAndClean() throws Exception {
        String id = newId("welcome-");
        Instant occurredAt = Instant.now().minusSeconds(5);
        chat.sendText("chat.visitor.online", ChatSystem.visitorOnline(id, "visitor-1", occurredAt),
                Map.of("chatSystemTrace", "t-1"));

        Request toAlpha = awaitRequests(alpha, id, 1).get(0);
        Request toBeta = awaitRequests(beta, id, 1).get(0);

        for (Request request : List.of(toAlpha, toBeta)) {
            assertEquals("POST", request.method());
            assertEquals("/hooks/chat", request.path());
            assertEquals(id, request.header("webhook-id"));
            assertTrue(request.header("content-type").startsWith("application/json"));
            long timestamp = Long.parseLong(request.header("webhook-timestamp"));
            assertTrue(Math.abs(Instant.now().getEpochSecond() - timestamp) < 60, "fresh signing timestamp");
            JsonNode payload = JSON.readTree(request.body());
            assertEquals("visitor.online", payload.get("type").asText());
            assertEquals(occurredAt.toString(), payload.get("timestamp").asText());
            assertEquals(id, payload.at("/data/id").asText());
            assertEquals("Mei Chen", payload.at("/data/visitor/name").asText());
            assertEquals("through", payload.at("/data/extra/carried").asText(), "unknown fields are carried through");
            for (String name : request.headers().keySet()) {
                assertTrue(!name.startsWith("jms") && !name.startsWith("camel") && !name.startsWith("chatbridge")
                        && !name.startsWith("_amq") && !name.equals("chatsystemtrace"), "leaked header " + name);
            }
        }
        assertTrue(StandardWebhooks.verify(ALPHA_SECRET, id, toAlpha.header("webhook-timestamp"), toAlpha.body(),
                toAlpha.header("webhook-signature")));
        assertTrue(StandardWebhooks.verify(BETA_SECRET, id, toBeta.header("webhook-timestamp"), toBeta.body(),
                toBeta.header("webhook-signature")));
        assertEquals("alpha-shop", toAlpha.header("x-tenant"));
        assertEquals(null, toBeta.header("x-tenant"));
    }

    @Test
    void orderCompletedAsBytesReachesOnlyItsSubscribers() throws Exception {
        String id = newId("order-");
        chat.sendBytes("chat.order.completed",
                ChatSystem.orderCompleted(id, "visitor-2", Instant.now()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Request request = awaitRequests(alpha, id, 1).get(0);
        JsonNode payload = JSON.readTree(request.body());
        assertEquals("order.completed", payload.get("type").asText());
        assertEquals("https://shop.example.com/orders/10042", payload.at("/data/order/url").asText());
        assertEquals("129.90", payload.at("/data/order/total/amount").asText());
        assertTrue(StandardWebhooks.verify(ALPHA_SECRET, id, request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature")));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> beta.requestsFor(id).isEmpty());
    }

    @Test
    void aServerErrorIsRetriedAndTheEventDeliveredOnceWithTheSameId() {
        String id = newId("flaky-");
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-3", Instant.now()));

        List<Request> requests = awaitRequests(alpha, id, 2);
        assertEquals(id, requests.get(0).webhookId());
        assertEquals(id, requests.get(1).webhookId());
        // Same payload, fresh signature for the retry.
        assertEquals(requests.get(0).bodyText(), requests.get(1).bodyText());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> alpha.requestsFor(id).size() == 2);
        assertTrue(chat.browse("DLQ.webhook.alpha").stream().noneMatch(m -> id.equals(m.property("chatbridgeEventId"))));
    }

    @Test
    void aClientErrorGoesToTheDeadLetterQueueWithoutRetry() {
        String id = newId("reject-");
        String body = ChatSystem.orderCompleted(id, "visitor-4", Instant.now());
        chat.sendText("chat.order.completed", body);

        Received dead = awaitOn("DLQ.webhook.alpha", id);
        assertEquals("http-400", dead.property("chatbridgeReason"));
        assertEquals(400, dead.property("chatbridgeLastStatus"));
        assertEquals("alpha", dead.property("chatbridgePartnerId"));
        assertEquals(1, dead.property("chatbridgeAttempts"));
        assertEquals("webhook.alpha", dead.property("chatbridgeSourceQueue"));
        assertNotNull(dead.property("chatbridgeLastAttemptAt"));
        assertTrue(((String) dead.property("chatbridgeDetail")).contains("400"));
        assertEquals(body, dead.body(), "the event is kept as published");
        assertEquals(1, alpha.requestsFor(id).size());
    }

    @Test
    void goneIsPermanentAndSaysSo() {
        String id = newId("gone-");
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-5", Instant.now()));

        Received dead = awaitOn("DLQ.webhook.alpha", id);
        assertEquals("endpoint-gone", dead.property("chatbridgeReason"));
        assertEquals(410, dead.property("chatbridgeLastStatus"));
        assertEquals(1, alpha.requestsFor(id).size());
    }

    @Test
    void retryAfterIsHonoured() {
        String id = newId("slow-down-");
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-6", Instant.now()));

        List<Request> requests = awaitRequests(alpha, id, 2);
        Duration gap = Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt());
        assertTrue(gap.toMillis() >= 1900, "waited as asked (Retry-After: 2), not " + gap.toMillis() + " ms");
        assertTrue(gap.toMillis() < 10_000, "but not much longer: " + gap.toMillis() + " ms");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> alpha.requestsFor(id).size() == 2);
    }

    @Test
    void aTimeoutIsRetried() {
        String id = newId("timeout-");
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-7", Instant.now()));

        List<Request> requests = awaitRequests(alpha, id, 2);
        assertEquals(id, requests.get(1).webhookId());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4)).until(() -> alpha.requestsFor(id).size() == 2);
    }

    @Test
    void exhaustedAttemptsEndInTheDeadLetterQueue() {
        String id = newId("down-");
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-8", Instant.now()));

        Received dead = awaitOn("DLQ.webhook.alpha", id);
        assertEquals("attempts-exhausted", dead.property("chatbridgeReason"));
        assertEquals(3, dead.property("chatbridgeAttempts"));
        assertEquals(503, dead.property("chatbridgeLastStatus"));
        // 3 broker deliveries x (1 try + 1 quick retry), then nothing more.
        assertEquals(6, alpha.requestsFor(id).size());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> alpha.requestsFor(id).size() == 6);
    }

    /**
     * Consumers commit in batches, and a failing delivery rolls its whole batch back. The neighbours must still be
     * delivered, at most once more, and must not follow the failing event into the DLQ when its attempts run out.
     */
    @Test
    void anEventThatKeepsFailingDoesNotTakeItsBatchWithIt() {
        String failing = newId("down-");
        List<String> neighbours = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = i == 10 ? failing : newId("batch-");
            if (i != 10) {
                neighbours.add(id);
            }
            // One visitor: one message group, so one consumer and one batch take all of them.
            bodies.add(ChatSystem.orderCompleted(id, "visitor-batch", Instant.now()));
        }
        chat.sendTextsInOneTransaction("chat.order.completed", bodies);

        Received dead = awaitOn("DLQ.webhook.alpha", failing);
        assertEquals("attempts-exhausted", dead.property("chatbridgeReason"));
        await().atMost(Duration.ofSeconds(20)).until(() -> alpha.acknowledgedIds().containsAll(neighbours));
        for (String id : neighbours) {
            assertTrue(alpha.requestsFor(id).size() <= 2, id + " delivered " + alpha.requestsFor(id).size() + " times");
        }
        assertTrue(chat.browse("DLQ.webhook.alpha").stream().noneMatch(m -> neighbours.contains(m.property("chatbridgeEventId"))),
                "no neighbour in the DLQ");
    }

    @Test
    void aStaleWelcomeIsMovedAsideNotDelivered() {
        String id = newId("stale-");
        chat.sendText("chat.visitor.online", ChatSystem.visitorOnline(id, "visitor-9", Instant.now().minus(Duration.ofMinutes(10))));

        Received expired = awaitOn("EXPIRED.webhook.alpha", id);
        assertEquals("expired", expired.property("chatbridgeReason"));
        assertTrue(((String) expired.property("chatbridgeDetail")).contains("freshness"));
        awaitOn("EXPIRED.webhook.beta", id);
        assertTrue(alpha.requestsFor(id).isEmpty());
        assertTrue(beta.requestsFor(id).isEmpty());
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("UP"), response.body());
    }

    @Test
    void metricsNameEveryRouteByItsId() throws Exception {
        String id = newId("metrics-");
        chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-9", Instant.now()));
        awaitRequests(alpha, id, 1);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/metrics")).build();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String body = client.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            for (String route : List.of("ingest-order-completed", "event-fan-out", "webhook-delivery-alpha", "webhook-attempt")) {
                assertTrue(body.contains("routeId=\"" + route + "\""), route + " in " + body.lines().filter(l -> l.contains("routeId")).findFirst().orElse(""));
            }
        });
    }
}
