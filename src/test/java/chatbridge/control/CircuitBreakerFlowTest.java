package chatbridge.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.Catalogs;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker and the pause on the real bridge, against real partners: a partner that keeps failing gets one
 * probe at a time while its events wait on its queue with their attempts intact, and everything once it is back;
 * another partner on the same bridge is not slowed meanwhile. A paused partner gets nothing, across a restart too,
 * until it is resumed.
 */
class CircuitBreakerFlowTest {
    static final String TOKEN = "admin-token-for-circuit-tests-0123";
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    static final ObjectMapper JSON = new ObjectMapper();
    static final int EVENTS = 10;
    static final int MAX_ATTEMPTS = 3;

    @Test
    void aFailingPartnerIsProbedOneRequestAtATimeWithoutSpendingAttemptsAndGetsEverythingWhenBack() {
        try (WebhookReceiver down = new WebhookReceiver();
             WebhookReceiver up = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()) {
            down.respondWith(request -> Reply.status(503));
            bridge.partners("""
                            partners:
                              - id: down
                                webhookUrl: %s
                                secrets: [%s]
                                events: [order.completed]
                              - id: up
                                webhookUrl: %s
                                secrets: [%s]
                                events: [order.completed]
                            """.formatted(down.url(), SECRET, up.url(), SECRET))
                    .set("chatbridge.admin.token", TOKEN)
                    .set("chatbridge.circuit.minimum-requests", "4")
                    .set("chatbridge.circuit.window-seconds", "10")
                    .set("chatbridge.circuit.probe-interval-seconds", "1")
                    .set("chatbridge.delivery.local-retries", "0")
                    .set("chatbridge.events.dir", Catalogs.copyWithDelivery(Path.of("target/catalogs/CircuitBreakerFlowTest"),
                            "order.completed", "maxAttempts", String.valueOf(MAX_ATTEMPTS)).toString())
                    .brokerProperties("""
                            addressSettings."webhook.#".redeliveryDelay=150
                            addressSettings."webhook.#".redeliveryMultiplier=1.0
                            addressSettings."webhook.#".redeliveryCollisionAvoidanceFactor=0
                            """)
                    .start();
            AdminClient admin = new AdminClient(bridge.managementPort(), TOKEN);
            List<String> ids = new ArrayList<>();
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = "cb-" + i;
                    ids.add(id);
                    chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "cb-visitor-" + i, Instant.now()));
                }

                await("circuit of partner down opens").atMost(Duration.ofSeconds(20))
                        .until(() -> "circuit-open".equals(admin.partner("down").get("state").asText()));
                Instant openSeen = Instant.now();

                // Degraded, not down: the bridge still takes every event.
                AtomicReference<JsonNode> health = new AtomicReference<>();
                await("health names the held partner").atMost(Duration.ofSeconds(10)).until(() -> {
                    health.set(health(bridge));
                    return "degraded".equals(partnersCheck(health.get()).path("data").path("status").asText());
                });
                assertEquals("UP", health.get().path("status").asText(), health.get().toString());
                JsonNode check = partnersCheck(health.get());
                assertEquals("UP", check.path("status").asText(), check.toString());
                assertEquals("circuit-open", check.path("data").path("partner.down").asText(), check.toString());
                assertEquals("active", check.path("data").path("partner.up").asText(), check.toString());
                assertTrue(check.path("message").asText().contains("down circuit-open"), check.toString());
                // Without data=true the message says it.
                JsonNode plain = health(bridge, "?exposureLevel=full");
                assertEquals("UP", plain.path("status").asText(), plain.toString());
                assertEquals("degraded: down circuit-open", partnersCheck(plain).path("message").asText(), plain.toString());

                // The other partner was not held back: it got every event during the outage.
                await("partner up gets every event").atMost(Duration.ofSeconds(20))
                        .until(() -> up.acknowledgedIds().containsAll(ids));
                assertEquals(EVENTS, up.requests().size(), "one request per event: " + webhookIds(up));

                // Probes keep coming, while no event spends its attempts: 10 events x 3 attempts could make 30
                // requests at most if a held event (or a failed probe) cost an attempt; then they would be dead letters.
                int beyondTheBudget = EVENTS * MAX_ATTEMPTS + 5;
                await("probes beyond every event's attempt budget").atMost(Duration.ofSeconds(150))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            assertEquals(List.of(), chat.browse("DLQ.webhook.down"), "no dead letter for down");
                            JsonNode downState = admin.partner("down");
                            assertEquals("circuit-open", downState.get("state").asText(), downState.toString());
                            assertEquals(0, downState.get("deadLetters").asLong(), downState.toString());
                            assertEquals("active", admin.partner("up").get("state").asText(), "up's circuit never opens");
                            return down.requests().size() > beyondTheBudget;
                        });
                assertEquals(List.of(), chat.browse("DLQ.webhook.down"));
                // Which held event is the next probe is not promised (whichever consumer asks first), so an event may
                // not be probed at all during an outage; it waits with its attempts intact and goes out once the
                // partner is back (below).
                assertTrue(Set.copyOf(ids).containsAll(webhookIds(down)), "every request is one of the events: " + webhookIds(down));

                // One at a time: once the circuit was open (and the requests already under way then had their
                // answers), the partner never sees two requests close together.
                List<Instant> probes = down.requests().stream().map(WebhookReceiver.Request::receivedAt)
                        .filter(at -> at.isAfter(openSeen.plusMillis(500))).sorted().toList();
                assertTrue(probes.size() >= 20, "probes after the circuit opened: " + probes.size());
                for (int i = 1; i < probes.size(); i++) {
                    Duration gap = Duration.between(probes.get(i - 1), probes.get(i));
                    assertTrue(gap.toMillis() >= 500, "two probes " + gap.toMillis() + " ms apart: " + probes);
                }
                JsonNode downState = admin.partner("down");
                assertEquals(503, downState.get("lastStatus").asInt(), downState.toString());
                assertTrue(downState.get("consecutiveFailures").asInt() > beyondTheBudget - EVENTS, downState.toString());
                assertEquals(EVENTS, downState.get("queued").asLong() + downState.get("inFlight").asLong(), downState.toString());

                // Back: the next probe succeeds, the circuit closes and the backlog is delivered.
                down.respondWith(request -> Reply.ok());
                await("partner down gets every event once back").atMost(Duration.ofSeconds(30))
                        .until(() -> down.acknowledgedIds().containsAll(ids));
                await("partner down active again, its queue empty").atMost(Duration.ofSeconds(10)).until(() -> {
                    JsonNode state = admin.partner("down");
                    return "active".equals(state.get("state").asText()) && state.get("queued").asLong() == 0
                            && state.get("inFlight").asLong() == 0;
                });
                assertEquals(List.of(), chat.browse("DLQ.webhook.down"));
                assertEquals(List.of(), chat.browse("DLQ.webhook.up"));
                assertEquals(0, admin.partner("down").get("deadLetters").asLong());
                assertEquals(EVENTS, up.requests().size(), "partner up got nothing twice");
                await("health ok again").atMost(Duration.ofSeconds(10))
                        .until(() -> "ok".equals(partnersCheck(health(bridge)).path("data").path("status").asText()));
            }
        }
    }

    @Test
    void aPausedPartnerGetsNothingAcrossARestartUntilResumed() {
        try (WebhookReceiver partner = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()) {
            bridge.set("chatbridge.admin.token", TOKEN)
                    .set("chatbridge.partner.id", "shop")
                    .set("chatbridge.partner.webhook-url", partner.url())
                    .set("chatbridge.partner.webhook-secret", SECRET)
                    .start();
            AdminClient admin = new AdminClient(bridge.managementPort(), TOKEN);
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("before-pause", "p-visitor", Instant.now()));
                await().atMost(Duration.ofSeconds(20)).until(() -> partner.acknowledgedIds().contains("before-pause"));

                AdminClient.Answer paused = admin.post("/admin/partners/shop/pause");
                assertEquals(200, paused.status(), paused.body());
                assertEquals("paused", paused.json().get("state").asText(), paused.body());
                assertEquals("paused", admin.partner("shop").get("state").asText());
            }

            List<String> ids = new ArrayList<>();
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = "paused-" + i;
                    ids.add(id);
                    chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "p-visitor-" + i, Instant.now()));
                }
            }
            await("every event published queued for the paused partner").atMost(Duration.ofSeconds(20))
                    .until(() -> admin.partner("shop").get("queued").asLong() == EVENTS);
            assertEquals(List.of(), pausedRequests(partner), "delivered while paused");
            JsonNode health = health(bridge);
            assertEquals("UP", health.path("status").asText(), health.toString());
            assertEquals("degraded: shop paused", partnersCheck(health).path("message").asText(), health.toString());
            // Degraded, not unready: the bridge still takes every event, and a restart would not resume the partner.
            JsonNode ready = health(bridge, "/ready");
            assertEquals("UP", ready.path("status").asText(), ready.toString());

            bridge.restart();

            // Still paused, from the first answer after the restart on (checked last, after the rest of the flow).
            long restartedAt = System.nanoTime();
            JsonNode rightAfterRestart = admin.partner("shop");
            String healthRightAfterRestart = partnersCheck(health(bridge)).path("message").asText();
            await("state paused after the restart").atMost(Duration.ofSeconds(10))
                    .until(() -> "paused".equals(admin.partner("shop").get("state").asText()));
            long reportedActiveMillis = "paused".equals(rightAfterRestart.get("state").asText()) ? 0
                    : Duration.ofNanos(System.nanoTime() - restartedAt).toMillis();
            // ...and delivering nothing for a while: longer than the broker sync (5 s ticks) takes.
            await("nothing delivered after the restart").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                    .until(() -> pausedRequests(partner).isEmpty()
                            && "paused".equals(admin.partner("shop").get("state").asText()));
            assertEquals(EVENTS, admin.partner("shop").get("queued").asLong());

            AdminClient.Answer resumed = admin.post("/admin/partners/shop/resume");
            assertEquals(200, resumed.status(), resumed.body());
            assertEquals("active", resumed.json().get("state").asText(), resumed.body());
            await("every held event delivered after the resume").atMost(Duration.ofSeconds(20))
                    .until(() -> partner.acknowledgedIds().containsAll(ids));
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.partner("shop").get("queued").asLong() == 0);
            assertEquals(EVENTS, pausedRequests(partner).size(), "each event once: " + pausedRequests(partner));
            assertEquals("active", admin.partner("shop").get("state").asText());
            assertEquals(0, admin.partner("shop").get("deadLetters").asLong());

            assertEquals("paused", rightAfterRestart.get("state").asText(), "GET /admin/partners right after the restart "
                    + "(the broker kept the pause: nothing was delivered), and for about " + reportedActiveMillis
                    + " ms more: " + rightAfterRestart + "; health said: " + healthRightAfterRestart);
        }
    }

    static List<String> pausedRequests(WebhookReceiver partner) {
        return webhookIds(partner).stream().filter(id -> id.startsWith("paused-")).toList();
    }

    static List<String> webhookIds(WebhookReceiver partner) {
        return partner.requests().stream().map(WebhookReceiver.Request::webhookId).toList();
    }

    /** /observe/health?exposureLevel=full, with each check's details (data=true). */
    static JsonNode health(BridgeRunner bridge) {
        return health(bridge, "?exposureLevel=full&data=true");
    }

    static JsonNode health(BridgeRunner bridge, String query) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + bridge.managementPort() + "/observe/health" + query))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The partners check (ops/PartnerStatesHealthCheck) in a full health answer. */
    static JsonNode partnersCheck(JsonNode health) {
        for (JsonNode check : health.path("checks")) {
            if ("partners".equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no partners check in " + health);
    }
}
