package chatbridge.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
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
            HostileRequests hostile = new HostileRequests("open-key-123", "signed-key-123", SECRET);
            Random random = new Random(7);
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < 1200; i++) {
                OpenApiClient.Answer answer = hostile.send(api, random, i);
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
}
