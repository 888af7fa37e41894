package chatbridge.delivery;

import java.nio.file.Path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import chatbridge.security.DeliverySeal;
import chatbridge.testing.Catalogs;
import chatbridge.testing.BridgeRunner;
import chatbridge.testing.ChatSystem;
import chatbridge.testing.ChatSystem.Received;
import chatbridge.testing.WebhookReceiver;
import chatbridge.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.Test;

/**
 * A failing event that the broker redelivers while the consumer has a batch of newer messages open must not be
 * committed before it is processed: its failure would then roll back nothing and the event would be gone. One
 * delivery consumer, batches that may stay open for a second, and a stream of new messages faster than the partner
 * answers (a batch stays open only while messages are waiting) make that the normal case here.
 */
class BatchRedeliveryTest {
    static final String SECRET = "whsec_ZmVhc2liaWxpdHktdGVzdC1zZWNyZXQtMzItYnl0ZXMh";

    @Test
    void aRedeliveredEventThatFailsAgainInsideAnOpenBatchIsNotLost() throws Exception {
        try (WebhookReceiver partner = new WebhookReceiver();
             BridgeRunner bridge = new BridgeRunner()) {
            partner.respondWith(request -> request.webhookId().startsWith("keeps-failing") ? Reply.status(503) : Reply.ok());
            partner.latency(Duration.ofMillis(15));
            bridge.partners("""
                            partners:
                              - id: shop
                                webhookUrl: %s
                                secrets: [%s]
                                events: [order.completed]
                            """.formatted(partner.url(), SECRET))
                    .brokerProperties("""
                            addressSettings."webhook.#".redeliveryDelay=300
                            addressSettings."webhook.#".redeliveryMultiplier=1.0
                            addressSettings."webhook.#".redeliveryCollisionAvoidanceFactor=0
                            """)
                    .set("chatbridge.delivery.concurrent-consumers", "1")
                    .set("chatbridge.consumer.batch-size", "1000")
                    .set("chatbridge.consumer.batch-max-wait-millis", "1000")
                    .set("chatbridge.delivery.local-retries", "0")
                    .set("chatbridge.events.dir", Catalogs.copyWithDelivery(Path.of("target/catalogs/BatchRedeliveryTest"), "order.completed", "maxAttempts", "3").toString())
                    .start();
            DeliverySeal seal = new DeliverySeal(List.of(Files.readString(bridge.dataDir().resolve("broker/delivery-seal.key"))
                    .trim().getBytes(StandardCharsets.UTF_8)));
            try (ChatSystem queue = new ChatSystem(bridge.brokerUrl())) {
                // Straight onto the partner's queue, sealed as the fan-out would: one message at a time, so the
                // delivery consumer always has a batch of new ones open when the failing event comes back.
                put(queue, seal, "keeps-failing-1");
                List<String> stream = new ArrayList<>();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                for (int i = 0; System.nanoTime() < until; i++) {
                    String id = "stream-" + i;
                    put(queue, seal, id);
                    stream.add(id);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // paces the stream; nothing is awaited
                }

                Received[] dead = new Received[1];
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    dead[0] = queue.browse("DLQ.webhook.shop").stream()
                            .filter(m -> "keeps-failing-1".equals(m.property("chatbridgeEventId"))).findFirst().orElse(null);
                    return dead[0] != null;
                });
                assertEquals("attempts-exhausted", dead[0].property("chatbridgeReason"));
                assertEquals(3, partner.requestsFor("keeps-failing-1").size(), "every attempt was made");
                await().atMost(Duration.ofSeconds(60)).until(() -> partner.acknowledgedIds().containsAll(stream));
                for (String id : stream) {
                    assertTrue(partner.requestsFor(id).size() <= 2, id + " delivered " + partner.requestsFor(id).size() + " times");
                }
            }
        }
    }

    static void put(ChatSystem queue, DeliverySeal seal, String id) {
        Instant occurredAt = Instant.now();
        String body = ChatSystem.orderCompleted(id, "visitor-" + id, occurredAt);
        Map<String, Object> headers = new HashMap<>();
        headers.put("chatbridgeEventId", id);
        headers.put("chatbridgeEventType", "order.completed");
        headers.put("chatbridgeOccurredAt", occurredAt.toString());
        headers.put("JMSXGroupID", "visitor-" + id);
        headers.put(DeliverySeal.HEADER, seal.seal(id, "order.completed", occurredAt.toString(), body));
        queue.sendText("webhook.shop", body, headers);
    }
}
