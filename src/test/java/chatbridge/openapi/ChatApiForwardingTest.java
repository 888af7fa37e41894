package chatbridge.openapi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.StandardWebhooks;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * With CHAT_API_URL set, accepted partner messages are delivered to the chat system's HTTP API with the same
 * signing, retry, classification and dead-letter rules as partner webhooks.
 */
class ChatApiForwardingTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void partnerMessagesAreForwardedSignedRetriedAndDeadLettered() throws Exception {
        try (WebhookReceiver chatApi = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()) {
            chatApi.respondWith(request -> {
                String body = request.bodyText();
                if (body.contains("flaky")) {
                    return request.attemptForId() == 1 ? Reply.status(502) : Reply.ok();
                }
                return body.contains("refused") ? Reply.status(400) : Reply.ok();
            });
            bridge.set("chatbridge.partner.webhook-url", "http://127.0.0.1:9/unused")
                    .set("chatbridge.partner.webhook-secret", SECRET)
                    .set("chatbridge.partner.api-key", "key-1")
                    .set("chatbridge.chat-api.url", chatApi.url())
                    .set("chatbridge.chat-api.secret", SECRET)
                    .set("chatbridge.chat-api.token", "chat-token")
                    .brokerProperties("""
                            addressSettings."partner.messages".redeliveryDelay=200
                            addressSettings."partner.messages".redeliveryMultiplier=1.0
                            """)
                    .start();
            OpenApiClient api = new OpenApiClient(bridge.httpPort());

            String welcome = api.postJson("key-1", OpenApiClient.text("v-1", "evt-1", "Welcome back")).json().get("id").asText();
            await().atMost(Duration.ofSeconds(15)).until(() -> chatApi.requestsFor(welcome).size() == 1);
            WebhookReceiver.Request request = chatApi.requestsFor(welcome).get(0);
            assertEquals("Bearer chat-token", request.header("authorization"));
            assertTrue(StandardWebhooks.verify(SECRET, welcome, request.header("webhook-timestamp"), request.body(),
                    request.header("webhook-signature")));
            JsonNode payload = OpenApiClient.JSON.readTree(request.body());
            assertEquals("partner.message", payload.get("type").asText());
            assertEquals("Welcome back", payload.at("/data/message/text").asText());
            assertEquals("partner", payload.at("/data/partnerId").asText());

            String flaky = api.postJson("key-1", OpenApiClient.text("v-2", null, "flaky")).json().get("id").asText();
            await().atMost(Duration.ofSeconds(15)).until(() -> chatApi.acknowledgedIds().contains(flaky));
            assertEquals(2, chatApi.requestsFor(flaky).size());

            String refused = api.postJson("key-1", OpenApiClient.text("v-3", null, "refused")).json().get("id").asText();
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                await().atMost(Duration.ofSeconds(15)).until(() -> chat.browse("DLQ.partner.messages").stream()
                        .anyMatch(m -> refused.equals(m.property("chatbridgeEventId"))
                                && "http-400".equals(m.property("chatbridgeReason"))
                                && "chat-api".equals(m.property("chatbridgePartnerId"))));
                List<ChatSystem.Received> left = chat.browse("partner.messages");
                assertTrue(left.isEmpty(), "everything was forwarded or dead-lettered: " + left.size());
            }
        }
    }
}
