package chatbridge.delivery;

import java.nio.file.Path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import chatbridge.testing.Catalogs;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.Test;

/**
 * Retries are the broker's, not the bridge's memory: restarting the bridge (and with it the embedded broker) in
 * the middle of a retry schedule neither loses the event nor resets its attempt count.
 */
class RestartMidRetryTest {
    @Test
    void theAttemptCountSurvivesARestart() {
        try (WebhookReceiver partner = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()) {
            partner.respondWith(request -> Reply.status(503));
            bridge.set("chatbridge.partner.id", "shop")
                    .set("chatbridge.partner.webhook-url", partner.url())
                    .set("chatbridge.partner.webhook-secret", "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh")
                    .set("chatbridge.delivery.local-retries", "0")
                    .set("chatbridge.events.dir", Catalogs.copyWithDelivery(Path.of("target/catalogs/RestartMidRetryTest"), "order.completed", "maxAttempts", "4").toString())
                    .brokerProperties("""
                            addressSettings."webhook.#".redeliveryDelay=2000
                            addressSettings."webhook.#".redeliveryMultiplier=1.0
                            addressSettings."webhook.#".redeliveryCollisionAvoidanceFactor=0
                            """)
                    .start();
            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted("restart-1", "v-1", Instant.now()));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> partner.requestsFor("restart-1").size() == 2);

            bridge.restart();

            try (ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
                Received[] dead = new Received[1];
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    dead[0] = chat.browse("DLQ.webhook.shop").stream()
                            .filter(m -> "restart-1".equals(m.property("chatbridgeEventId"))).findFirst().orElse(null);
                    return dead[0] != null;
                });
                assertEquals("attempts-exhausted", dead[0].property("chatbridgeReason"));
                assertEquals(4, dead[0].property("chatbridgeAttempts"));
            }
            // Two attempts before the restart, two after: the count went on from where it was.
            assertEquals(4, partner.requestsFor("restart-1").size());
        }
    }
}
