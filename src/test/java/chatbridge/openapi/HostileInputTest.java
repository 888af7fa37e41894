package chatbridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.StandardWebhooks;
import org.junit.jupiter.api.Test;

/**
 * 1,200 generated hostile requests (malformed, oversized, unauthenticated, badly signed, wrong types, wrong
 * methods and paths): none answered with a 5xx, none enqueued, and the service is still healthy afterwards.
 */
class HostileInputTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void hostileRequestsNeverCauseA5xxNorAMessage() {
        try (BridgeRunner bridge = new BridgeRunner()
                .partners("""
                        partners:
                          - id: open
                            webhookUrl: http://127.0.0.1:9/unused
                            secrets: [%s]
                            events: [visitor.online]
                            apiKeys: [open-key-123]
                          - id: signed
                            webhookUrl: http://127.0.0.1:9/unused
                            secrets: [%s]
                            events: [visitor.online]
                            apiKeys: [signed-key-123]
                            requireSignature: true
                        """.formatted(SECRET, SECRET))
                .set("chatbridge.openapi.rate-limit-per-second", "0")
                .start()) {
            OpenApiClient api = new OpenApiClient(bridge.httpPort());
            Random random = new Random(7);
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < 1200; i++) {
                OpenApiClient.Answer answer = hostile(api, random, i);
                statuses.merge(answer.status(), 1, Integer::sum);
                assertTrue(answer.status() < 500, "request " + i + " got " + answer.status() + ": " + answer.body());
                assertTrue(answer.status() >= 400, "request " + i + " was accepted: " + answer.body());
                assertTrue(answer.contentType().startsWith("application/problem+json"), "request " + i + ": " + answer.contentType());
            }
            System.out.println("hostile input: status counts " + statuses);
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                assertEquals(0, chat.browse("partner.messages").size(), "nothing enqueued");
            }
            OpenApiClient management = new OpenApiClient(bridge.managementPort());
            assertTrue(management.request("GET", "/observe/health", null).body().contains("UP"));
            assertEquals(202, api.postJson("open-key-123", OpenApiClient.text("v-1", null, "still fine")).status());
        }
    }

    private static OpenApiClient.Answer hostile(OpenApiClient api, Random random, int i) {
        String valid = OpenApiClient.text("v-" + i, null, "hello");
        byte[] garbage = new byte[1 + random.nextInt(2000)];
        random.nextBytes(garbage);
        return switch (i % 12) {
            case 0 -> api.post("/openapi/v1/messages", "open-key-123", "application/json", garbage);
            case 1 -> api.postJson("open-key-123", valid.substring(0, random.nextInt(valid.length())));
            case 2 -> api.post("/openapi/v1/messages", "open-key-123", "application/json",
                    ("{\"visitorId\":\"v\",\"message\":{\"type\":\"text\",\"text\":\"" + "A".repeat(65_536 + random.nextInt(300_000)) + "\"}}")
                            .getBytes(StandardCharsets.UTF_8));
            case 3 -> api.postJson(random.nextBoolean() ? null : "guess-" + random.nextInt(), valid);
            case 4 -> api.postJson("signed-key-123", valid, "webhook-id", "x", "webhook-timestamp",
                    Long.toString(Instant.now().getEpochSecond()), "webhook-signature", "v1,"
                            + StandardWebhooks.expectedSignature(SECRET, "x", "1", valid.getBytes(StandardCharsets.UTF_8)));
            case 5 -> api.postJson("signed-key-123", valid, "webhook-id", "x", "webhook-timestamp", "not-a-number",
                    "webhook-signature", "garbage");
            case 6 -> api.postJson("open-key-123", "{\"visitorId\":" + random.nextInt() + ",\"message\":[]}");
            case 7 -> api.postJson("open-key-123", "{\"visitorId\":\"v\",\"message\":{\"type\":\"" + "x".repeat(random.nextInt(50)) + "\"}}");
            case 8 -> api.post("/openapi/v1/messages", "open-key-123", random.nextBoolean() ? "text/xml" : "multipart/form-data",
                    valid.getBytes(StandardCharsets.UTF_8));
            case 9 -> api.request(random.nextBoolean() ? "PUT" : "DELETE", "/openapi/v1/messages", "open-key-123");
            case 10 -> api.request("GET", "/" + Integer.toHexString(random.nextInt()) + "/../etc/passwd", null);
            default -> api.postJson("open-key-123", "{\"visitorId\":\"v\",\"message\":{\"type\":\"link\",\"text\":\"t\",\"url\":\""
                    + (random.nextBoolean() ? "javascript:alert(1)" : "file:///etc/passwd") + "\"}}");
        };
    }
}
