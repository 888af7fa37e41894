package chatbridge.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.TricklingPartner;
import chatbridge.testing.TricklingPartner.Attempt;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * A partner that trickles its answer a byte at a time never trips a socket read timeout. The bridge must cut each
 * exchange at the response timeout, retry it, and keep delivering to everyone else meanwhile.
 */
class SlowPartnerTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void aTricklingAnswerIsCutAtTheTimeoutAndRetried() throws Exception {
        try (TricklingPartner slow = new TricklingPartner(Duration.ofMillis(100));
             WebhookReceiver healthy = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()
                     .partners("""
                             partners:
                               - id: slow
                                 webhookUrl: %s
                                 secrets: [%s]
                                 events: [visitor.online]
                               - id: healthy
                                 webhookUrl: %s
                                 secrets: [%s]
                                 events: [visitor.online]
                             """.formatted(slow.url(), SECRET, healthy.url(), SECRET))
                     .brokerProperties("""
                             addressSettings."webhook.#".redeliveryDelay=200
                             addressSettings."webhook.#".redeliveryMultiplier=1.0
                             """)
                     .set("chatbridge.delivery.response-timeout-seconds", "1")
                     .set("chatbridge.delivery.local-retries", "0")
                     .start();
             ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                String id = "trickle-" + i;
                chat.sendText("chat.visitor.online", ChatSystem.visitorOnline(id, "trickle-visitor-" + i, Instant.now()));
                ids.add(id);
            }

            // The healthy partner is not held up by the slow one: all four arrive while the slow one still trickles.
            await().atMost(Duration.ofSeconds(5)).until(() -> healthy.acknowledgedIds().containsAll(ids));
            // Each event: status line trickled (cut), body trickled (cut), then answered.
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.acknowledgedIds().containsAll(ids));
            List<Attempt> cut = slow.attempts().stream().filter(a -> a.number() < 3).toList();
            assertEquals(8, cut.size(), cut.toString());
            for (Attempt attempt : cut) {
                assertTrue(attempt.held().toMillis() < 3000,
                        "attempt " + attempt.number() + " of " + attempt.webhookId() + " held the bridge " + attempt.held().toMillis() + " ms");
                assertTrue(attempt.held().toMillis() >= 800, "cut at the timeout, not before: " + attempt.held().toMillis() + " ms");
            }
            assertTrue(chat.browse("DLQ.webhook.slow").isEmpty(), "timeouts are retried, not dead-lettered");
        }
    }
}
