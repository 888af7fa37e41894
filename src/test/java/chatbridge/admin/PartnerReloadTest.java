package chatbridge.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import chatbridge.openapi.OpenApiClient;
import chatbridge.testing.AdminClient;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Request;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Partners change while the bridge runs: added by editing the file (the watch picks it up), rotated with POST
 * /admin/reload, an invalid file refused with the running partners kept, a partner removed with its backlog left on
 * the broker, and an event type's consumer started and stopped as its first subscriber comes and its last one goes.
 */
class PartnerReloadTest {
    private static final String SECRET_1 = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";
    private static final String SECRET_2 = "whsec_c2Vjb25kLXNlY3JldC1mb3ItcmVsb2FkLXRlc3RzLTMyYg==";

    private final WebhookReceiver alpha = new WebhookReceiver();
    private final WebhookReceiver beta = new WebhookReceiver();

    /** The partners file: alpha with this secret and key (order.completed only), and beta if given. */
    private String partners(String alphaSecret, String alphaKey, String beta) {
        return """
                partners:
                  - id: alpha
                    webhookUrl: %s
                    secrets: [%s]
                    events: [order.completed]
                    apiKeys: [%s]
                %s""".formatted(alpha.url(), alphaSecret, alphaKey, beta);
    }

    /** beta takes every event type. */
    private String beta() {
        return """
                  - id: beta
                    webhookUrl: %s
                    secrets: [%s]
                    events: ["#"]
                """.formatted(beta.url(), SECRET_1);
    }

    @Test
    void partnersComeChangeAndGoWithoutARestart() {
        try (alpha; beta; BridgeRunner bridge = new BridgeRunner()) {
            bridge.set("chatbridge.admin.token", AdminApiTest.TOKEN)
                    .set("chatbridge.partners.reload-check-seconds", "1")
                    .partners(partners(SECRET_1, "alpha-key-1-0123456789", ""))
                    .start();
            AdminClient admin = new AdminClient(bridge.managementPort(), AdminApiTest.TOKEN);
            OpenApiClient openApi = new OpenApiClient(bridge.httpPort());
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                // Nobody takes visitor.online yet: it waits on its queue.
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("early-1", "v-1", Instant.now()));

                // Added by editing the file: the watch applies it, and visitor.online gets its consumer.
                bridge.partners(partners(SECRET_1, "alpha-key-1-0123456789", beta()));
                await().atMost(Duration.ofSeconds(15)).until(() -> ids(admin).contains("beta"));
                await().atMost(Duration.ofSeconds(15)).until(() -> beta.acknowledgedIds().contains("early-1"));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("after-add", "v-2", Instant.now()));
                await().atMost(Duration.ofSeconds(15)).until(() -> alpha.acknowledgedIds().contains("after-add")
                        && beta.acknowledgedIds().contains("after-add"));

                // Rotated: a new secret signs, a new key opens the Open API, the old one no longer does.
                bridge.partners(partners(SECRET_2, "alpha-key-2-0123456789", beta()));
                JsonNode rotated = admin.post("/admin/reload").json();
                assertEquals(List.of("alpha"), names(rotated.get("updated")));
                assertEquals(List.of("beta"), names(rotated.get("unchanged")));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("after-rotate", "v-3", Instant.now()));
                await().atMost(Duration.ofSeconds(15)).until(() -> alpha.acknowledgedIds().contains("after-rotate"));
                Request signed = alpha.requestsFor("after-rotate").get(0);
                assertTrue(StandardWebhooks.verify(SECRET_2, signed.webhookId(), signed.header("webhook-timestamp"),
                        signed.body(), signed.header("webhook-signature")));
                assertFalse(StandardWebhooks.verify(SECRET_1, signed.webhookId(), signed.header("webhook-timestamp"),
                        signed.body(), signed.header("webhook-signature")));
                String reply = "{\"visitorId\":\"v-3\",\"message\":{\"type\":\"text\",\"text\":\"hello\"}}";
                assertEquals(401, openApi.post("/openapi/v1/messages", "alpha-key-1-0123456789", "application/json",
                        reply.getBytes(StandardCharsets.UTF_8)).status());
                assertEquals(202, openApi.post("/openapi/v1/messages", "alpha-key-2-0123456789", "application/json",
                        reply.getBytes(StandardCharsets.UTF_8)).status());

                // Invalid: refused with a message naming the mistake; everything keeps running as it was.
                bridge.partners(partners(SECRET_2, "alpha-key-2-0123456789", beta())
                        + "    colour: blue\n");
                AdminClient.Answer refused = admin.post("/admin/reload");
                AdminApiTest.assertProblem(refused, 422, "invalid-partners", null);
                assertTrue(refused.json().get("detail").asText().contains("unknown key 'colour'"), refused.body());
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("after-refusal", "v-4", Instant.now()));
                await().atMost(Duration.ofSeconds(15)).until(() -> alpha.acknowledgedIds().contains("after-refusal")
                        && beta.acknowledgedIds().contains("after-refusal"));

                // Removed: beta's backlog stays on its queue; visitor.online, which only beta took, is not consumed.
                assertEquals(200, admin.post("/admin/partners/beta/pause").status());
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("backlog-1", "v-5", Instant.now()));
                await().atMost(Duration.ofSeconds(15)).until(() -> admin.partner("beta").get("queued").asInt() == 1);
                bridge.partners(partners(SECRET_2, "alpha-key-2-0123456789", ""));
                JsonNode removed = admin.post("/admin/reload").json();
                assertEquals(List.of("beta"), names(removed.get("removed")));
                assertFalse(ids(admin).contains("beta"));
                assertEquals(1, chat.browse("webhook.beta").size(), "a removed partner's backlog stays on the broker");
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline("late-1", "v-6", Instant.now()));
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("after-remove", "v-7", Instant.now()));
                await().atMost(Duration.ofSeconds(15)).until(() -> alpha.acknowledgedIds().contains("after-remove"));
                assertEquals(1, chat.browse("chat.visitor.online").size(), "nobody takes it: it waits");
                assertFalse(beta.acknowledgedIds().contains("after-remove"));
            }
        }
    }

    private static List<String> ids(AdminClient admin) {
        List<String> ids = new ArrayList<>();
        admin.get("/admin/partners").json().get("partners").forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
