package chatbridge.delivery;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * A consumer transaction commits as soon as no further message is waiting, not when its batch is full or old: an
 * event that comes alone reaches the partner at once, however long a batch may stay open. (The ingest route's copy
 * for the partner is invisible to the delivery consumers until the ingest transaction commits.)
 */
class LoneEventLatencyTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void aLoneEventDoesNotWaitForItsBatchToFill() throws Exception {
        try (WebhookReceiver partner = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()
                     .partners("""
                             partners:
                               - id: shop
                                 webhookUrl: %s
                                 secrets: [%s]
                                 events: [order.completed]
                             """.formatted(partner.url(), SECRET))
                     .set("chatbridge.consumer.batch-size", "1000")
                     .set("chatbridge.consumer.batch-max-wait-millis", "20000")
                     .start();
             ChatSystem chat = new ChatSystem(bridge.brokerUrl())) {
            for (int i = 0; i < 3; i++) {
                String id = "lone-" + i;
                chat.sendText("chat.order.completed", ChatSystem.orderCompleted(id, "visitor-" + id, Instant.now()));
                // Each one well before a full batch or its 20 s age would commit the ingest transaction.
                await().atMost(Duration.ofSeconds(5)).until(() -> partner.acknowledgedIds().contains(id));
            }
        }
    }
}
