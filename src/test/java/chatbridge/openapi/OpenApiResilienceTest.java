package chatbridge.openapi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ExternalBroker;
import chatbridge.testing.Ports;
import org.junit.jupiter.api.Test;

/**
 * Rate limiting, and a broker that goes away: the Open API answers 503 (never a 202 for something not stored)
 * and accepts again once the broker is back, by itself.
 */
class OpenApiResilienceTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void overTheRateLimitTheAnswerIs429WithRetryAfter() {
        try (BridgeRunner bridge = new BridgeRunner()
                .set("chatbridge.partner.webhook-url", "http://127.0.0.1:9/unused")
                .set("chatbridge.partner.webhook-secret", SECRET)
                .set("chatbridge.partner.api-key", "limited-key")
                .set("chatbridge.openapi.rate-limit-per-second", "1")
                .set("chatbridge.openapi.rate-limit-burst", "3")
                .start()) {
            OpenApiClient api = new OpenApiClient(bridge.httpPort());
            List<Integer> statuses = new ArrayList<>();
            OpenApiClient.Answer limited = null;
            for (int i = 0; i < 6; i++) {
                OpenApiClient.Answer answer = api.postJson("limited-key", OpenApiClient.text("v-1", null, "m" + i));
                statuses.add(answer.status());
                if (answer.status() == 429) {
                    limited = answer;
                }
            }
            assertEquals(List.of(202, 202, 202), statuses.subList(0, 3), statuses.toString());
            assertTrue(limited != null, "a burst over the limit is refused: " + statuses);
            OpenApiTest.assertProblem(limited, 429, "rate-limited", null);
            assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
        }
    }

    @Test
    void whileTheBrokerIsDownHealthIsDownTheAnswerIs503AndBothRecoverByThemselves() throws Exception {
        Path dir = Files.createTempDirectory("external-broker");
        int port = Ports.free();
        ExternalBroker broker = new ExternalBroker(dir, port).start();
        try (BridgeRunner bridge = new BridgeRunner()
                .set("chatbridge.broker.url", "tcp://127.0.0.1:" + port + "?reconnectAttempts=0&callTimeout=5000")
                .set("chatbridge.security.message-key", "openapi-resilience-test-seal-key-0123456789")
                .set("chatbridge.partner.webhook-url", "http://127.0.0.1:9/unused")
                .set("chatbridge.partner.webhook-secret", SECRET)
                .set("chatbridge.partner.api-key", "key-1")
                .start()) {
            OpenApiClient api = new OpenApiClient(bridge.httpPort());
            assertEquals(202, api.postJson("key-1", OpenApiClient.text("v-1", null, "before")).status());

            OpenApiClient management = new OpenApiClient(bridge.managementPort());
            assertTrue(management.request("GET", "/observe/health", null).body().contains("UP"));

            broker.stop();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    management.request("GET", "/observe/health", null).body().contains("DOWN"));
            OpenApiClient.Answer down = api.postJson("key-1", OpenApiClient.text("v-1", null, "during"));
            OpenApiTest.assertProblem(down, 503, "broker-unavailable", null);
            assertEquals("5", down.header("Retry-After"));

            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.postJson("key-1", OpenApiClient.text("v-1", null, "after")).status() == 202);
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    management.request("GET", "/observe/health", null).body().contains("UP"));
            try (ChatSystem chat = new ChatSystem("tcp://127.0.0.1:" + port)) {
                List<String> texts = chat.browse("partner.messages").stream().map(ChatSystem.Received::body).toList();
                assertTrue(texts.stream().anyMatch(t -> t.contains("\"before\"")), "stored before the outage survives");
                assertTrue(texts.stream().noneMatch(t -> t.contains("\"during\"")), "nothing stored for the 503");
                assertTrue(texts.stream().anyMatch(t -> t.contains("\"after\"")));
            }
        } finally {
            broker.stop();
        }
    }
}
